package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.broker.Broker;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.BrokerSubscriber;
import org.packetlab.broker.PublicationInfo;
import org.packetlab.broker.Subscription;
import org.packetlab.config.ChannelItem;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.ExperimentPool;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.results.Results;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Channel;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xnotify;

/**
 * A manager publishing its runs at a real broker, and endpoints subscribed to it, over real TLS on
 * loopback: the descriptor that goes out, the session it brings, withdrawal at the end of the run,
 * expiry at {@code pub_end}, and every way publication or subscription fails, each with its reason.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PublicationTest {
    private static final Ed25519PrivateKey K_BOP = Ed25519PrivateKey.generate();
    private static final Ed25519PrivateKey K_BRK = Ed25519PrivateKey.generate();

    private final LinkedBlockingQueue<PublicationInfo> published = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<PublicationInfo> ended = new LinkedBlockingQueue<>();
    private Broker broker;
    private Manager manager;
    private Endpoint endpoint;
    private ExperimentPool pool;
    private BrokerSubscriber subscriber;

    @BeforeEach
    void startBroker() throws IOException {
        broker = Broker.builder()
                .identity(K_BRK, Cert.agent().subject(K_BRK.publicKey()).validFor(Duration.ofDays(1)).signWith(K_BOP))
                .publicationAddress(new InetSocketAddress("127.0.0.1", 0))
                .subscriptionAddress(new InetSocketAddress("127.0.0.1", 0))
                .listener(new BrokerListener() {
                    @Override
                    public void published(PublicationInfo p) {
                        published.add(p);
                    }

                    @Override
                    public void withdrawn(PublicationInfo p) {
                        ended.add(p);
                    }

                    @Override
                    public void expired(PublicationInfo p) {
                        ended.add(p);
                    }
                })
                .start();
    }

    @AfterEach
    void closeAll() {
        if (subscriber != null) {
            subscriber.close();
        }
        if (pool != null) {
            pool.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (manager != null) {
            manager.close();
            assertThat(manager.threadsEnded()).isTrue();
        }
        broker.close();
    }

    /** Publication settings of the reference home's controller (agent_xc_xc) at the test broker. */
    private PublicationSettings.Builder publishing() {
        return PublicationSettings.builder().broker(broker.publicationAddress())
                .agent(TlsIdentity.of(Creds.key("k_xc"), List.of(Creds.cert("agent_xc_xc"))))
                .brokerRoots(List.of(K_BOP.publicKey()))
                .pubPeriod(Duration.ofDays(365))
                .timeout(Duration.ofSeconds(5));
    }

    private Manager manager(PublicationSettings publication) throws IOException {
        manager = Manager.builder().identity(Creds.controller().withDefault(true)).listen(new InetSocketAddress("127.0.0.1", 0))
                .attempts(1).publication(publication).build();
        return manager;
    }

    /** The reference home's endpoint, subscribed with {@code subscription}; {@code events} hears the subscriber. */
    private void subscribedEndpoint(Subscription subscription, BrokerSubscriber.Listener events) throws IOException {
        endpoint = Endpoint.builder().privateKey(Creds.key("k_ep")).chain(List.of(Creds.cert("subcmd_eop_ep")))
                .trustedRoots(List.of(Creds.pub("k_eop"))).localAddress("127.0.0.1/8").hostId("ep-a").build();
        pool = ExperimentPool.builder(endpoint).build();
        subscriber = BrokerSubscriber.builder().broker(broker.subscriptionAddress())
                .identity(TlsIdentity.of(Creds.key("k_ep"), List.of(Creds.cert("agent_ep_ep"))))
                .brokerRoots(List.of(K_BOP.publicKey()))
                .subscription(subscription)
                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .listener(new BrokerSubscriber.Listener() {
                    @Override
                    public void notified(Xnotify n) {
                        pool.offer(n.xdescr());
                        events.notified(n);
                    }

                    @Override
                    public void subscribed() {
                        events.subscribed();
                    }

                    @Override
                    public void disconnected(String reason, Duration retryIn) {
                        events.disconnected(reason, retryIn);
                    }
                })
                .start();
    }

    private static Subscription keyChannelSubscription() {
        return Subscription.of(List.of(Creds.cert("subcmd_eop_ep")), List.of(Creds.pub("k_eop")), true, List.of(),
                NameValues.empty(NameValues.Syntax.DATTR));
    }

    @Test
    void publishedRunBringsTheSubscribedEndpointWithTheSnikeyAndIsWithdrawnAtItsEnd() throws Exception {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        subscribedEndpoint(keyChannelSubscription(), new BrokerSubscriber.Listener() {
            @Override
            public void notified(Xnotify n) {
                // the pool takes it
            }

            @Override
            public void subscribed() {
                subscribed.complete(null);
            }
        });
        subscribed.get(10, TimeUnit.SECONDS);
        Manager m = manager(publishing().priority(7).countries(List.of("USA")).build());

        Run<String> run = m.start(ep -> ep.hostId(), RunListener.none());
        Results<String> r = run.await();

        assertThat(r.values()).as(r.toString()).containsExactly("ep-a");
        PublicationInfo p = published.poll(5, TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        NameValues x = p.xdescr();
        assertThat(x.toString()).startsWith("endpoint_country=USA;exp_priority=7;pub_end=")
                .endsWith(";controller_addr=127.0.0.1:" + m.boundAddress().getPort() + ";sni_key=" + m.identities().getFirst().snikey().value() + ";");
        assertThat(p.channels()).containsExactly(Channel.of(Creds.pub("k_eop").keyId().bytes()));
        assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Withdrawn.class, w -> {
            assertThat(w.descriptors()).containsExactly(x);
            assertThat(w.reason()).isEqualTo("the run is over");
        });
        assertThat(ended.poll(5, TimeUnit.SECONDS)).extracting(PublicationInfo::id).isEqualTo(p.id());
        assertThat(broker.publications()).isEmpty();
    }

    @Test
    void stoppingTheRunWithdrawsThePublication() throws Exception {
        Manager m = manager(publishing().build());
        Run<String> run = m.start(ep -> ep.hostId(), RunListener.none());
        PublicationInfo p = published.poll(10, TimeUnit.SECONDS);
        assertThat(p).isNotNull();
        assertThat(broker.publications()).extracting(PublicationInfo::id).containsExactly(p.id());

        run.stop();
        assertThat(run.await()).isEmpty();

        assertThat(ended.poll(5, TimeUnit.SECONDS)).extracting(PublicationInfo::id).isEqualTo(p.id());
        assertThat(broker.publications()).isEmpty();
        assertThat(run.publication()).get().isInstanceOf(PublicationStatus.Withdrawn.class);
    }

    @Test
    void publicationExpiresAtPubEndAndTheRunStopsAfterTheGreetPeriod() throws Exception {
        Manager m = manager(publishing().pubPeriod(Duration.ofMillis(1500)).greetPeriodAfterPubEnd(Duration.ofMillis(100)).build());
        Run<String> run = m.start(ep -> ep.hostId(), RunListener.none());

        // nobody comes: the run ends by itself once pub_end and the greet period are over
        Results<String> r = run.await();

        assertThat(r).isEmpty();
        // the broker expired it at pub_end (on a slow machine it may even have arrived past its end)
        assertThat(ended.poll(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(broker.publications()).isEmpty();
        assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Withdrawn.class,
                w -> assertThat(w.reason()).isEqualTo("pub_end reached"));
    }

    @Test
    void unreachableBrokerFailsTheRunSayingWhy() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Manager m = manager(publishing().broker(new InetSocketAddress("127.0.0.1", closedPort)).build());
        Run<String> run = m.start(ep -> ep.hostId(), RunListener.none());

        assertThat(run.await()).isEmpty();

        assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Failed.class, f -> {
            assertThat(f.describe()).startsWith("publication failed: cannot connect to the broker at ").contains(":" + closedPort);
            assertThat(f.errid()).isEmpty();
        });
    }

    @Test
    void brokerCertificateNotSignedByATrustedRootFailsTheRun() throws Exception {
        Manager m = manager(publishing().brokerRoots(List.of(Ed25519PrivateKey.generate().publicKey())).build());
        Run<String> run = m.start(ep -> ep.hostId(), RunListener.none());

        assertThat(run.await()).isEmpty();

        assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Failed.class,
                f -> assertThat(f.reason()).startsWith("TLS with the broker at "));
        assertThat(published).isEmpty();
    }

    @Test
    void privateChannelOfAnotherOperatorIsRefusedWithTheBrokersErrid() throws Exception {
        Ed25519PublicKey stranger = Ed25519PrivateKey.generate().publicKey();
        Identity id = Creds.controller().withDefault(true);
        PublicationSettings settings = publishing()
                .entry(id.snikey(), new PublicationSettings.Entry(List.of(ChannelItem.of(stranger.keyId().bytes())),
                        NameValues.empty(NameValues.Syntax.XDESCR)))
                .build();
        manager = Manager.builder().identity(id).listen(new InetSocketAddress("127.0.0.1", 0)).attempts(1).publication(settings).build();
        Run<String> run = manager.start(ep -> ep.hostId(), RunListener.none());

        assertThat(run.await()).isEmpty();

        assertThat(run.publication()).get().isInstanceOfSatisfying(PublicationStatus.Failed.class, f -> {
            assertThat(f.errid()).hasValue(Status.EPUBBADCHN.code());
            assertThat(f.reason()).contains("xpub").contains("EPUBBADCHN");
        });
        assertThat(published).isEmpty();
    }

    @Test
    void subscriptionToAPrivateChannelWithoutItsChainIsRefusedWithAReason() throws Exception {
        Subscription noChain = new Subscription(List.of(),
                new ChannelList(List.of(Channel.of(Creds.pub("k_eop").keyId().bytes()))),
                Optional.of(Creds.pub("k_eop")), NameValues.empty(NameValues.Syntax.DATTR));
        assertRefusedAsBadChannel(noChain);
    }

    @Test
    void subscriptionWithAChainOfAnotherOperatorIsRefusedWithAReason() throws Exception {
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        Cert foreign = Cert.subcmd().subject(Creds.pub("k_ep")).validFor(Duration.ofDays(1)).signWith(stranger);
        // the chain is the stranger's, the channel asked for is k_eop's
        Subscription wrong = new Subscription(List.of(foreign),
                new ChannelList(List.of(Channel.of(Creds.pub("k_eop").keyId().bytes()))),
                Optional.of(stranger.publicKey()), NameValues.empty(NameValues.Syntax.DATTR));
        assertRefusedAsBadChannel(wrong);
    }

    /** Subscribes with {@code subscription} and expects the broker to refuse it (ESUBBADCHN) and hold no subscription. */
    private void assertRefusedAsBadChannel(Subscription subscription) throws Exception {
        LinkedBlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        subscribedEndpoint(subscription, new BrokerSubscriber.Listener() {
            @Override
            public void notified(Xnotify n) {
                reasons.add("notified");
            }

            @Override
            public void disconnected(String reason, Duration retryIn) {
                reasons.add(reason);
            }
        });

        assertThat(reasons.poll(10, TimeUnit.SECONDS)).contains("ESUBBADCHN");
        assertThat(broker.subscriptions()).isEmpty();
    }
}
