package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.PublicationInfo;
import org.packetlab.broker.SubscriptionInfo;
import org.packetlab.config.XpmgrConf;
import org.packetlab.examples.HttpGet;
import org.packetlab.manager.Manager;
import org.packetlab.manager.PublicationStatus;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.wire.NameValues;

/**
 * The embedded lab with a broker, end to end over real TLS on loopback: the manager publishes each
 * run at the broker, the subscribed endpoints are notified, connect to the controller named in the
 * descriptor (SNI = its snikey), run the mlet, and the run's publication is withdrawn at its end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabBrokerTest {

    private static final ConcurrentLinkedQueue<String> notified = new ConcurrentLinkedQueue<>();
    private static final ConcurrentLinkedQueue<PublicationInfo> published = new ConcurrentLinkedQueue<>();
    private static final LinkedBlockingQueue<PublicationInfo> withdrawn = new LinkedBlockingQueue<>();
    private static Lab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = Lab.local().endpoints(2).broker(new BrokerListener() {
            @Override
            public void published(PublicationInfo publication) {
                published.add(publication);
            }

            @Override
            public void withdrawn(PublicationInfo publication) {
                withdrawn.add(publication);
            }

            @Override
            public void notified(SubscriptionInfo subscription, PublicationInfo publication) {
                notified.add(subscription.dattr().get("hostid").orElseThrow() + "<-" + publication.id());
            }
        }).start();
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
            assertThat(lab.threadsEnded()).isTrue();
        }
    }

    @Test
    void publishedRunReachesEverySubscribedEndpointAndIsWithdrawnAtItsEnd() throws Exception {
        int before = published.size();
        Run<HttpGet.Result> run = lab.start(ep -> HttpGet.fetch(ep, "127.0.0.1", lab.httpTarget().getPort(), "/index.html"),
                RunListener.none());
        Results<HttpGet.Result> r = run.await();

        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.stream().map(EndpointResult::hostId).collect(Collectors.toSet())).isEqualTo(Set.of("ep1", "ep2"));
        assertThat(r.values()).allSatisfy(v -> assertThat(v.statusLine()).isEqualTo("HTTP/1.0 200 OK"));

        // one descriptor, naming the manager's address and the snikey the endpoints sent as SNI
        assertThat(published).hasSize(before + 1);
        PublicationInfo p = List.copyOf(published).getLast();
        InetSocketAddress manager = lab.manager().boundAddress();
        assertThat(p.xdescr().get("controller_addr")).contains("127.0.0.1:" + manager.getPort());
        assertThat(p.xdescr().get("sni_key")).contains(lab.manager().identities().getFirst().snikey().value());
        assertThat(p.xdescr().get("pub_end")).isPresent();
        assertThat(notified).contains("ep1<-" + p.id(), "ep2<-" + p.id());

        // the run's status says what was published, and the run ended with the publication withdrawn
        assertThat(run.publication()).get().isInstanceOf(PublicationStatus.Withdrawn.class);
        PublicationStatus.Withdrawn w = (PublicationStatus.Withdrawn) run.publication().orElseThrow();
        assertThat(w.descriptors()).containsExactly(p.xdescr());
        // the broker sees the publisher's connection close a moment after the manager closed it
        awaitWithdrawn(p.id());
        assertThat(lab.broker().orElseThrow().publications()).isEmpty();
    }

    private static void awaitWithdrawn(long id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            PublicationInfo p = withdrawn.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(p).as("publication #" + id + " withdrawn at the broker").isNotNull();
            if (p.id() == id) {
                return;
            }
        }
    }

    @Test
    void managerBehindAProxyPublishesTheProxysEndpointAddressAndTheEndpointsComeThroughIt() throws Exception {
        try (Lab behindNat = Lab.local().endpoints(2).broker().proxy().start()) {
            Run<String> run = behindNat.start(ep -> ep.hostId(), RunListener.none());
            Results<String> r = run.await();

            assertThat(r.values()).as(r.toString()).containsExactlyInAnyOrder("ep1", "ep2");
            InetSocketAddress proxy = behindNat.proxy().orElseThrow().endpointAddress();
            assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Withdrawn.class, w -> assertThat(w.descriptors())
                    .singleElement().satisfies(x -> assertThat(x.get("controller_addr")).contains("127.0.0.1:" + proxy.getPort())));
        }
    }

    @Test
    void runsInARowArePublishedAfreshAndEachRunsOncePerEndpoint() throws Exception {
        for (int i = 0; i < 3; i++) {
            int before = notified.size();
            Results<String> r = lab.run(ep -> ep.hostId());
            assertThat(r.values()).as(r.toString()).containsExactlyInAnyOrder("ep1", "ep2");
            assertThat(notified.size() - before).isEqualTo(2);
        }
    }

    @Test
    void descriptorsCarryTheEndpointsPublishedForAndMatchTheirAttributes() throws Exception {
        Results<NameValues> r = lab.run(ep -> NameValues.parse("hostid=" + ep.hostId() + ";", NameValues.Syntax.DATTR));
        assertThat(r).hasSize(2);
        assertThat(lab.broker().orElseThrow().subscriptions()).hasSize(2)
                .allSatisfy(s -> assertThat(s.dattr().get("hostid")).hasValueSatisfying(h -> assertThat(h).startsWith("ep")));
    }

    @Test
    void aManagerThatDoesNotPublishAtTheLabsBrokerIsRefusedInsteadOfWaitedFor() throws Exception {
        try (Manager listening = Manager.builder().config(XpmgrConf.load(lab.home().xpmgrConfFile()).config())
                .listen(new InetSocketAddress("127.0.0.1", 0)).build()) {
            assertThatThrownBy(() -> lab.run(listening, ep -> ep.hostId(), RunListener.none()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("this lab's endpoints come to experiments published at its broker "
                            + lab.broker().orElseThrow().publicationAddress() + "; the manager does not publish there");
        }
    }
}
