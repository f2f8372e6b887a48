package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.endpoint.Targets.loopback;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Family;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Status;

/**
 * The controller's TLS chain (spec/agents.md §C.5, §C.13): who is accepted, SNI, and the limits a
 * verified chain imposes on the session.
 */
@Timeout(60)
class ControllerChainTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void controllerChainFromAnotherRootIsRefusedWithTheReason() throws Exception {
        Credentials creds = new Credentials();
        try (TestController controller = TestController.start(group, creds.controller, creds.controllerChain(), List.of(creds.eopPublic()));
             Endpoint endpoint = Harness.endpointBuilder(creds, group).trustedRoots(List.of(Ed25519PrivateKey.generate().publicKey())).build()) {
            SessionOutcome o = endpoint.connect(controller.address(), Optional.empty()).get(10, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(SessionOutcome.TlsRefused.class, r -> assertThat(r.reason()).contains("PPKS").contains("root"));
            assertThat(o.isNormalEnd()).isFalse();
        }
    }

    @Test
    void withoutTrustedRootsAnyWellShapedChainIsAccepted() throws Exception {
        Credentials creds = new Credentials();
        Ed25519PrivateKey otherEop = Ed25519PrivateKey.generate();
        Cert foreignExppriv = Cert.exppriv().subject(creds.exper.publicKey()).validFor(Duration.ofDays(1)).signWith(otherEop);
        try (TestController controller = TestController.start(group, creds.controller, List.of(creds.pubcmd, foreignExppriv), List.of(creds.eopPublic()));
             Endpoint endpoint = Harness.endpointBuilder(creds, group).trustedRoots(List.of()).build()) {
            CompletableFuture<SessionOutcome> o = endpoint.connect(controller.address(), Optional.empty());
            TestController.Conn c = controller.accept();
            c.start();
            c.close();
            assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
        }
    }

    @Test
    void chainThatIsNotAnExperimentChainIsRefused() throws Exception {
        Credentials creds = new Credentials();
        try (TestController controller = TestController.start(group, creds.controller, List.of(creds.pubcmd), List.of(creds.eopPublic()));
             Endpoint endpoint = Harness.endpointBuilder(creds, group).build()) {
            assertThat(endpoint.connect(controller.address(), Optional.empty()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(SessionOutcome.TlsRefused.class);
        }
    }

    @Test
    void snikeySelectsTheControllersExperimentAndItsAbsenceIsRefusedByTheController() throws Exception {
        Credentials creds = new Credentials();
        Snikey key = Snikey.random();
        PpksTls.Server tls = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .entry(key, new TlsIdentity(creds.controllerChain(), creds.controller), List.of(creds.eopPublic())).build();
        try (TestController controller = TestController.start(group, tls, "::1");
             Endpoint endpoint = Harness.endpointBuilder(creds, group).build()) {
            CompletableFuture<SessionOutcome> o = endpoint.connect(controller.address(), Optional.of(key));
            TestController.Conn c = controller.accept();
            c.start();
            c.close();
            assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
            assertThat(endpoint.connect("[::1]:" + controller.address().getPort(), Optional.empty()).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(SessionOutcome.TlsRefused.class);
        }
    }

    @Test
    void validDestMustMatchEveryCertificateThatHasAList() throws Exception {
        try (ServerSocket allowed = new ServerSocket(0, 5, loopback("127.0.0.2"));
             ServerSocket denied = new ServerSocket(0, 5, loopback("127.0.0.1"))) {
            Credentials creds = new Credentials();
            List<Cert> chain = creds.delegatedControllerChain(l -> l.validDest("127.0.0.0/8", "::1"), l -> l.validDest("127.0.0.2", "10.0.0.0/8"));
            try (TestController controller = TestController.start(group, creds.controller, chain, List.of(creds.eopPublic()));
                 Endpoint endpoint = Harness.endpointBuilder(creds, group).build()) {
                CompletableFuture<SessionOutcome> o = endpoint.connect(controller.address(), Optional.empty());
                TestController.Conn c = controller.accept();
                c.start();
                assertThat(c.status(Nopen.tcp(1, (InetSocketAddress) denied.getLocalSocketAddress(), 100))).isEqualTo(Status.ESKTOPNDENY);
                assertThat(c.status(Nopen.tcp(1, (InetSocketAddress) allowed.getLocalSocketAddress(), 100))).isEqualTo(Status.SUCCESS);
                assertThat(c.status(Nopen.udp(2, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
                assertThat(c.status(Nsend.udp(2, 0, 0, new InetSocketAddress(loopback("127.0.0.1"), 9), new byte[1])))
                        .isEqualTo(Status.ESKTPKTDENY);
                assertThat(c.status(Nsend.udp(2, 0, 0, new InetSocketAddress(loopback("127.0.0.2"), 9), new byte[1])))
                        .isEqualTo(Status.SUCCESS);
                allowed.accept().close();
                c.close();
                assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
                assertThat(endpoint.openMeasurementChannels()).isZero();
            }
        }
    }

    @Test
    void sendQuotaOfTheChainRefusesWhatCanNeverBeSent() throws Exception {
        try (Harness h = Harness.running(group, b -> b, l -> l.maxSendByte(10).maxSendPkt(5))) {
            assertThat(h.conn.status(Nopen.udp(1, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            InetSocketAddress sink = new InetSocketAddress(loopback("127.0.0.1"), 9);
            assertThat(h.conn.status(Nsend.udp(1, 0, 0, sink, new byte[11]))).isEqualTo(Status.ESKTPKTDENY);
            assertThat(h.conn.status(Nsend.udp(1, 0, 0, sink, new byte[10]))).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void burstRatesOfTheChainSpaceSendsOutAndRefuseWhatCanNeverFit() throws Exception {
        BurstRate bytes = new BurstRate(1000, TimeUnit.MILLISECONDS.toNanos(400));
        try (Harness h = Harness.running(group, b -> b, l -> l.maxBurstRateByte(bytes));
             java.net.DatagramSocket target = new java.net.DatagramSocket(new InetSocketAddress(loopback("127.0.0.1"), 0))) {
            assertThat(h.conn.status(Nopen.udp(1, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            InetSocketAddress to = (InetSocketAddress) target.getLocalSocketAddress();
            assertThat(h.conn.status(Nsend.udp(1, 0, 1, to, new byte[1001]))).as("larger than the burst").isEqualTo(Status.ESKTPKTDENY);
            assertThat(h.conn.status(Nsend.udp(1, 0, 1, to, new byte[600]))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nsend.udp(1, 0, 2, to, new byte[600]))).isEqualTo(Status.SUCCESS);
            Ntag first = h.conn.next(Ntag.class);
            Ntag second = h.conn.next(Ntag.class);
            assertThat(second.tag()).isEqualTo(2);
            assertThat(second.time() - first.time()).as("the second waits for the first to leave the window")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(350));
        }
        try (Harness h = Harness.running(group, b -> b, l -> l.maxBurstRatePkt(new BurstRate(0, 1)))) {
            assertThat(h.conn.status(Nopen.udp(1, Family.IPV6, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nsend.udp(1, 0, 0, new InetSocketAddress(loopback("::1"), 9), new byte[1])))
                    .as("a packet rule of 0 allows nothing").isEqualTo(Status.ESKTPKTDENY);
        }
    }

    @Test
    void experimentPeriodOfTheChainEndsTheSession() throws Exception {
        try (Harness h = Harness.running(group, b -> b, l -> l.maxExpPeriod(Duration.ofMillis(500)))) {
            assertThat(h.conn.status(Nopen.udp(1, Family.IPV6, 100))).isEqualTo(Status.SUCCESS);
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isEqualTo(new SessionOutcome.Expired());
            assertThat(h.endpoint.openMeasurementChannels()).isZero();
        }
    }
}
