package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.proxy.Proxy;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.packetlab.tls.TlsIdentity;

/**
 * The manager in proxy mode with the real proxy and the real endpoint on loopback, real TLS on every
 * hop: endpoint → proxy (endpoint port) → backlog connection → manager → mlet.
 */
@Timeout(60)
class ProxyModeTest {
    private static final long WAIT = 20;
    private static final Ed25519PrivateKey K_PRX = Ed25519PrivateKey.generate();
    private static final TlsIdentity PROXY_AGENT = TlsIdentity.of(K_PRX,
            List.of(Cert.agent().subject(K_PRX.publicKey()).validFor(Duration.ofDays(1)).signWith(K_PRX)));
    private static final TlsIdentity MANAGER_AGENT = TlsIdentity.of(Creds.key("k_xc"),
            List.of(Cert.agent().subject(Creds.pub("k_xc")).validFor(Duration.ofDays(1)).signWith(Creds.key("k_xc"))));

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <C extends AutoCloseable> C closing(C c) {
        open.add(c);
        return c;
    }

    private static Proxy.Builder proxyOn(int setupPort, int endpointPort) {
        return Proxy.builder().identity(PROXY_AGENT).managerRoots(List.of(Creds.pub("k_xc")))
                .setupListen(new InetSocketAddress("127.0.0.1", setupPort))
                .endpointListen(new InetSocketAddress("127.0.0.1", endpointPort));
    }

    private static Manager.Builder managerVia(Proxy proxy) {
        return ManagerTest.manager()
                .proxy(AgentAddress.of("127.0.0.1", proxy.setupAddress().getPort()))
                .proxyAgent(MANAGER_AGENT)
                .proxyRoots(List.of(K_PRX.publicKey()));
    }

    private Endpoint endpoint(String hostId) {
        return closing(EndToEndTest.endpoint(Creds.endpoint(), hostId));
    }

    private static CompletableFuture<SessionOutcome> connect(Endpoint ep, Proxy proxy) {
        return ep.connect(proxy.endpointAddress(), Optional.of(ManagerTest.CONTROLLER.snikey()));
    }

    @Test
    void endpointReachesTheMletThroughTheProxyAndItsAddressIsTheProxys() throws Exception {
        Proxy proxy = closing(proxyOn(0, 0).build());
        Manager m = closing(managerVia(proxy).attempts(1).build());
        Run<String> run = m.start(session -> session.hostId(), RunListener.none());

        SessionOutcome outcome = connect(endpoint("behind-nat-1"), proxy).get(WAIT, TimeUnit.SECONDS);

        Results<String> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
        assertThat(r).singleElement().satisfies(e -> {
            assertThat(e.status()).as(e.summary()).isEqualTo(Status.OK);
            assertThat(e.value()).isEqualTo("behind-nat-1");
            // spec/agents.md §A.7.6: the session's peer (EPADDR) is the proxy, seen from its setup port
            assertThat(e.endpoint()).isEqualTo(proxy.setupAddress());
        });
        assertThat(outcome).isInstanceOf(SessionOutcome.ControllerClosed.class);
        assertThat(m.boundAddress()).isEqualTo(proxy.setupAddress());
        assertThat(m.publicationAddress()).contains(AgentAddress.of("127.0.0.1"));
        assertThat(proxy.stats().endpointsRouted()).isEqualTo(1);
    }

    @Test
    void moreEndpointsThanTheTargetBacklogAreAllServedAsThePoolRefills() throws Exception {
        int n = 6;
        Proxy proxy = closing(proxyOn(0, 0).build());
        Manager m = closing(managerVia(proxy).targetBacklog(1).attempts(n).build());
        Run<String> run = m.start(session -> session.hostId(), RunListener.none());
        List<CompletableFuture<SessionOutcome>> outcomes = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            outcomes.add(connect(endpoint("ep" + i), proxy));
        }

        Results<String> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();

        assertThat(r).hasSize(n).allSatisfy(e -> assertThat(e.status()).as(e.summary()).isEqualTo(Status.OK));
        assertThat(r.values()).containsExactlyInAnyOrder("ep1", "ep2", "ep3", "ep4", "ep5", "ep6");
        for (CompletableFuture<SessionOutcome> o : outcomes) {
            assertThat(o.get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
        }
        // one backlog connection at a time: each endpoint used one, and the pool registered a new one after each
        assertThat(proxy.stats().registered()).isGreaterThanOrEqualTo(n + 1L);
    }

    @Test
    void proxyKilledAndRestartedMidRunIsRejoinedAndLaterEndpointsServed() throws Exception {
        Proxy first = proxyOn(0, 0).build();
        int setupPort = first.setupAddress().getPort();
        int endpointPort = first.endpointAddress().getPort();
        Manager m;
        try {
            m = closing(managerVia(first).attempts(3).build());
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
        Events<String> events = new Events<>();
        Run<String> run = m.start(session -> session.hostId(), events);
        assertThat(connect(endpoint("before"), first).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
        events.await("finished #1 OK");

        first.close();
        assertThat(events.await("notice proxy 127.0.0.1:" + setupPort + " unreachable, reconnecting"))
                .contains("cannot connect");
        Proxy second = closing(proxyOn(setupPort, endpointPort).build());
        events.await("notice proxy 127.0.0.1:" + setupPort + " reachable again");
        for (String hostId : List.of("after-1", "after-2")) {
            assertThat(connect(endpoint(hostId), second).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
        }

        Results<String> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
        assertThat(r).extracting(EndpointResult::status).containsExactly(Status.OK, Status.OK, Status.OK);
        assertThat(r.values()).containsExactly("before", "after-1", "after-2");
        assertThat(run.notices()).hasSize(2);
        assertThat(run.notices().get(0)).contains("unreachable");
        assertThat(run.notices().get(1)).endsWith("reachable again");
    }

    @Test
    void endpointsWaitAtTheProxyBetweenRunsAndTheNextRunServesThem() throws Exception {
        Proxy proxy = closing(proxyOn(0, 0).build());
        Manager m = closing(managerVia(proxy).attempts(1).build());
        Run<String> first = m.start(session -> session.hostId(), RunListener.none());
        assertThat(connect(endpoint("first"), proxy).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
        assertThat(first.await(Duration.ofSeconds(WAIT)).orElseThrow().values()).containsExactly("first");

        CompletableFuture<SessionOutcome> waiting = connect(endpoint("early"), proxy);
        // the proxy relays the ClientHello onto a backlog connection, which the manager does not read between runs
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (proxy.stats().relays() < 1 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(2_000_000);
        }
        assertThat(proxy.stats().relays()).isEqualTo(1);
        assertThat(waiting).isNotDone();
        Results<String> r = m.run(session -> session.hostId(), Duration.ofSeconds(WAIT));

        assertThat(r.values()).containsExactly("early");
        assertThat(waiting.get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
    }

    @Test
    void managerWithoutAProxyToRegisterWithFailsAtBuildSayingWhy() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Manager.Builder b = ManagerTest.manager().proxy(AgentAddress.of("127.0.0.1", closedPort))
                .backlogTimeouts(Duration.ofMillis(500), Duration.ofMillis(700));

        assertThatThrownBy(b::build).isInstanceOf(IOException.class)
                .hasMessageContaining("bootstrap ended with no backlog connection to proxy")
                .hasMessageContaining("cannot connect");
    }

    @Test
    void proxyWhoseCertificateIsNotSignedByTheProxyRootsIsNotRegisteredWith() throws Exception {
        Proxy proxy = closing(proxyOn(0, 0).build());
        Manager.Builder b = managerVia(proxy).proxyRoots(List.of(Creds.pub("k_eop")))
                .backlogTimeouts(Duration.ofMillis(500), Duration.ofMillis(700));

        assertThatThrownBy(b::build).isInstanceOf(IOException.class)
                .hasMessageContaining("bootstrap ended with no backlog connection");
        assertThat(proxy.stats().registered()).isZero();
    }

    @Test
    void configurationAskingForProxyModeNeedsTheProxysAddressAndAnAgentCertificateOfTheControllerKey(@TempDir Path dir)
            throws Exception {
        PktlabHome home = PktlabHome.at(dir);
        home.init(false);
        XpmgrConf proxyConf = XpmgrConf.load(home.xpmgrProxyConfFile()).config();
        assertThat(proxyConf.enableProxyMode()).isTrue();

        assertThatThrownBy(() -> Manager.builder().config(proxyConf).build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("proxy mode (EnableProxyMode 1) needs the proxy's address (-a ADDR[:PORT])");
        XpmgrConf endpointsAgent = proxyConf.newBuilder().backlogConnAgentCertPath(home.certFile(PktlabHome.AGENT_EP_EP)).build();
        assertThatThrownBy(() -> Manager.builder().config(endpointsAgent)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("BacklogConnAgentCertPath " + home.certFile(PktlabHome.AGENT_EP_EP) + ": ");
    }
}
