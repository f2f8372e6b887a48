package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.endpoint.Targets.loopback;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Family;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/** Connecting, ending, and living with many sessions (spec/agents.md §C.3, §C.5, §C.7). */
@Timeout(120)
class EndpointLifecycleTest {
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
    void controllerVanishingMidSessionClosesEverySocketOfTheSession() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = new ServerSocket(0, 5, loopback("127.0.0.1"))) {
            assertThat(h.conn.status(Nopen.tcp(1, (InetSocketAddress) target.getLocalSocketAddress(), 1000))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            assertThat(h.conn.status(Nopen.udp(2, Family.IPV4, 1000))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nopen.udp(3, Family.IPV6, 1000))).isEqualTo(Status.SUCCESS);
            assertThat(h.endpoint.openMeasurementChannels()).isEqualTo(3);
            try (Socket peer = target.accept()) {
                h.conn.channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
                h.conn.channel.close().sync(); // close_notify may go out, but the reset right behind it is what the endpoint sees
                SessionOutcome o = h.awaitOutcome();
                assertThat(o).isInstanceOfAny(SessionOutcome.ControllerClosed.class, SessionOutcome.ConnectionFailed.class);
                assertThat(h.endpoint.openMeasurementChannels()).isZero();
                assertThat(peer.getInputStream().read()).as("the target sees the socket close").isEqualTo(-1);
            }
        }
    }

    @Test
    void unreachableControllerIsGivenUpAfterTheDeadline() throws Exception {
        Credentials creds = new Credentials();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (Endpoint endpoint = Harness.endpointBuilder(creds, group).retryDelay(Duration.ofMillis(100)).giveUpAfter(Duration.ofMillis(600)).build()) {
            long start = System.nanoTime();
            SessionOutcome o = endpoint.connect("127.0.0.1:" + port, Optional.empty()).get(10, TimeUnit.SECONDS);
            assertThat(o).isInstanceOfSatisfying(SessionOutcome.Unreachable.class, u -> assertThat(u.reason()).contains(String.valueOf(port)));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(600));
        }
    }

    @Test
    void controllerStartingLateIsReachedByARetryThroughItsName() throws Exception {
        Credentials creds = new Credentials();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (Endpoint endpoint = Harness.endpointBuilder(creds, group).retryDelay(Duration.ofMillis(50)).build()) {
            // "localhost" may also name ::1, where nothing listens: every address is tried in turn
            CompletableFuture<SessionOutcome> o = endpoint.connect("localhost:" + port, Optional.empty());
            assertThat(o).as("nobody listens yet").isNotDone();
            try (TestController controller = TestController.start(group, creds.controller, creds.controllerChain(),
                    List.of(creds.eopPublic()), "127.0.0.1", port)) {
                TestController.Conn c = controller.accept();
                c.start();
                c.close();
                assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
            }
        }
    }

    @Test
    void closingTheEndpointEndsItsRunningSessions() throws Exception {
        Credentials creds = new Credentials();
        try (TestController controller = TestController.start(group, creds.controller, creds.controllerChain(), List.of(creds.eopPublic()))) {
            Endpoint endpoint = Harness.endpointBuilder(creds, group).build();
            CompletableFuture<SessionOutcome> o = endpoint.connect(controller.address(), Optional.empty());
            TestController.Conn c = controller.accept();
            c.start();
            assertThat(c.status(Nopen.udp(1, Family.IPV4, 10))).isEqualTo(Status.SUCCESS);
            endpoint.close();
            assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.EndpointClosed());
            c.awaitClosed();
            assertThat(endpoint.openMeasurementChannels()).isZero();
            assertThat(endpoint.activeSessions()).isZero();
        }
    }

    @Test
    void manySessionsRunAtOnceOnOneSmallGroupAndEachGetsItsOwnState() throws Exception {
        Credentials creds = new Credentials();
        int n = 50;
        try (TestController controller = TestController.start(group, creds.controller, creds.controllerChain(), List.of(creds.eopPublic()));
             Endpoint endpoint = Harness.endpointBuilder(creds, group).build()) {
            List<CompletableFuture<SessionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                outcomes.add(endpoint.connect(controller.address(), Optional.empty()));
            }
            List<TestController.Conn> conns = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                conns.add(controller.accept(60));
            }
            for (TestController.Conn c : conns) {
                c.send(new org.packetlab.wire.Start());
                c.send(Nopen.udp(7, Family.IPV4, conns.indexOf(c)));
                c.send(Mread.of(Vmem.sktinfo(7, Vmem.SKT_RBUFSZ), 4));
            }
            for (int i = 0; i < n; i++) {
                TestController.Conn c = conns.get(i);
                assertThat(c.response()).isEqualTo(org.packetlab.wire.Result.ok());
                assertThat(c.response()).isEqualTo(org.packetlab.wire.Result.ok());
                assertThat(Bytes.u32(((org.packetlab.wire.Mdata) c.response()).data(), 0)).isEqualTo(i);
            }
            assertThat(endpoint.activeSessions()).isEqualTo(n);
            assertThat(endpoint.openMeasurementChannels()).isEqualTo(n);
            for (TestController.Conn c : conns) {
                c.channel.close();
            }
            for (CompletableFuture<SessionOutcome> o : outcomes) {
                assertThat(o.get(10, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
            }
            assertThat(endpoint.openMeasurementChannels()).isZero();
        }
    }
}
