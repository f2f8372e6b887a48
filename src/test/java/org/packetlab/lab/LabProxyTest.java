package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.PublicationInfo;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.examples.HttpGet;
import org.packetlab.manager.Manager;
import org.packetlab.manager.RunListener;
import org.packetlab.ppks.Cert;
import org.packetlab.proxy.Proxy;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;

/** {@code Lab.local().proxy()}: the manager in proxy mode behind the lab's own proxy, endpoints reaching it through the proxy. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabProxyTest {

    @Test
    void mletsRunOnEveryEndpointThroughTheProxyRunAfterRun(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.local().home(dir.resolve("home")).endpoints(3).proxy().start()) {
            Proxy proxy = lab.proxy().orElseThrow();
            int web = lab.httpTarget().getPort();

            Results<HttpGet.Result> first = lab.run(ep -> HttpGet.fetch(ep, "127.0.0.1", web, "/index.html"));
            Results<String> second = lab.run(ep -> ep.hostId());

            assertThat(first.failures()).as(first.toString()).isEmpty();
            assertThat(first).hasSize(3).allSatisfy(e -> {
                assertThat(e.value().statusLine()).isEqualTo("HTTP/1.0 200 OK");
                // spec/agents.md §A.7.6: the manager sees every session coming from the proxy
                assertThat(e.endpoint()).isEqualTo(proxy.setupAddress());
            });
            assertThat(second.values()).containsExactlyInAnyOrder("ep1", "ep2", "ep3");
            assertThat(proxy.stats().endpointsRouted()).isEqualTo(6);
            assertThat(lab.manager().proxy()).contains(AgentAddress.of("127.0.0.1", proxy.setupAddress().getPort()));
            assertThat(lab.manager().publicationAddress())
                    .contains(AgentAddress.of("127.0.0.1", proxy.endpointAddress().getPort()));
            PktlabHome home = lab.home();
            assertThat(home.publicKey(PktlabHome.K_PRX)).isEqualTo(home.cert(PktlabHome.AGENT_PRX_PRX).subject());
        }
    }

    @Test
    void aLaterLabOnTheSameHomeReusesTheHomesProxyKey(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        String keyBefore;
        try (Lab lab = Lab.local().home(home).proxy().start()) {
            assertThat(lab.run(ep -> ep.hostId()).stream().map(EndpointResult::value).collect(Collectors.toList()))
                    .containsExactly("ep1");
            keyBefore = Files.readString(PktlabHome.at(home).privateKeyFile(PktlabHome.K_PRX));
            assertThat(lab.toString()).contains("proxy /127.0.0.1:" + lab.proxy().orElseThrow().endpointAddress().getPort());
        }
        try (Lab again = Lab.local().home(home).proxy().start()) {
            assertThat(again.run(ep -> ep.hostId()).values()).containsExactly("ep1");
        }
        assertThat(Files.readString(PktlabHome.at(home).privateKeyFile(PktlabHome.K_PRX))).isEqualTo(keyBefore);
    }

    @Test
    void anotherExperimentersManagerWithAPrivilegeFromTheLabsOperatorRunsOnTheLabsEndpointsThroughItsProxy(@TempDir Path dir)
            throws Exception {
        PktlabHome alice = PktlabHome.at(dir.resolve("alice"));
        PktlabHome bob = PktlabHome.at(dir.resolve("bob"));
        alice.init(false);
        bob.init(false);
        // Alice, the lab's endpoint operator, grants Bob an exppriv for his experimenter key; Bob installs it
        Cert exppriv = alice.sign(Cert.exppriv().subject(bob.publicKey(PktlabHome.K_EXPER)).validFor(Duration.ofDays(1)),
                PktlabHome.K_EOP);
        bob.addPrivilege("alice", exppriv, alice.publicKey(PktlabHome.K_EOP), null, false);
        try (Lab lab = Lab.local().home(alice.dir()).endpoints(2).proxy().start()) {
            Proxy proxy = lab.proxy().orElseThrow();
            try (Manager bobs = Manager.builder().config(XpmgrConf.load(bob.xpmgrProxyConfFile()).config())
                    .proxy(AgentAddress.of("127.0.0.1", proxy.setupAddress().getPort())).attempts(2).build()) {

                Results<String> r = lab.run(bobs, ep -> ep.hostId(), RunListener.none());

                assertThat(r.failures()).as(r.toString()).isEmpty();
                assertThat(r.values()).containsExactlyInAnyOrder("ep1", "ep2");
                assertThat(r).allSatisfy(e -> assertThat(e.endpoint()).isEqualTo(proxy.setupAddress()));
            }
            PktlabHome carol = PktlabHome.at(dir.resolve("carol"));
            carol.init(false);
            try (Manager withoutPrivilege = Manager.builder().config(XpmgrConf.load(carol.xpmgrConfFile()).config())
                    .listen(new InetSocketAddress("127.0.0.1", 0)).build()) {
                assertThatThrownBy(() -> lab.run(withoutPrivilege, ep -> ep.hostId(), RunListener.none()))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("the manager holds no privilege from this lab's endpoint operator");
            }
        }
    }

    @Test
    void withABrokerTooThePublishedControllerIsTheProxyAndEndpointsComeThroughIt(@TempDir Path dir) throws Exception {
        ConcurrentLinkedQueue<PublicationInfo> published = new ConcurrentLinkedQueue<>();
        try (Lab lab = Lab.local().home(dir.resolve("home")).endpoints(2).proxy().broker(new BrokerListener() {
            @Override
            public void published(PublicationInfo publication) {
                published.add(publication);
            }
        }).start()) {
            Proxy proxy = lab.proxy().orElseThrow();

            Results<String> r = lab.run(ep -> ep.hostId());

            assertThat(r.values()).as(r.toString()).containsExactlyInAnyOrder("ep1", "ep2");
            assertThat(r).allSatisfy(e -> assertThat(e.endpoint()).isEqualTo(proxy.setupAddress()));
            // as the reference's proxy-mode publication: controller_addr names the proxy, sni_key the manager's snikey
            assertThat(published).singleElement().satisfies(p -> {
                assertThat(p.xdescr().get("controller_addr")).contains("127.0.0.1:" + proxy.endpointAddress().getPort());
                assertThat(p.xdescr().get("sni_key")).contains(lab.manager().identities().getFirst().snikey().value());
            });
            assertThat(proxy.stats().endpointsRouted()).isEqualTo(2);
        }
    }
}
