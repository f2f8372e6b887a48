package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.config.ChannelItem;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Channel;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Result;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xnotify;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xsub;

/** The publisher and subscriber clients against our broker and against a scripted one. */
@Timeout(60)
class BrokerClientsTest {
    private static final NameValues NO_DATTR = NameValues.empty(NameValues.Syntax.DATTR);

    /** Records what a subscriber reports. */
    private static final class Recorder implements BrokerSubscriber.Listener {
        record Disconnect(String reason, Duration retryIn) {}

        final LinkedBlockingQueue<Xnotify> notified = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Boolean> subscribed = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<Disconnect> disconnected = new LinkedBlockingQueue<>();

        @Override
        public void notified(Xnotify n) {
            notified.add(n);
        }

        @Override
        public void subscribed() {
            subscribed.add(true);
        }

        @Override
        public void disconnected(String reason, Duration retryIn) {
            disconnected.add(new Disconnect(reason, retryIn));
        }
    }

    private static Verdict.Verified controllerChain() {
        return (Verdict.Verified) ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, Creds.K_EOP.publicKey())
                .verify(List.of(Creds.PUBCMD_EXPER_XC, Creds.EXPPRIV_EOP_EXPER));
    }

    private static NameValues descriptor(String controller) {
        return ExperimentDescriptor.builder().snikey(new Snikey("k3x9q")).controllerAddr(controller)
                .pubPeriod(PktlabTime.now(), Duration.ofDays(1)).build();
    }

    private static BrokerPublisher.Builder publisher(InetSocketAddress broker) {
        return BrokerPublisher.builder().broker(broker).identity(Creds.controllerAgent()).brokerRoots(List.of(Creds.K_BOP.publicKey()));
    }

    private static BrokerSubscriber.Builder subscriber(InetSocketAddress broker, Subscription subscription, Recorder recorder) {
        return BrokerSubscriber.builder().broker(broker).identity(Creds.endpointAgent()).brokerRoots(List.of(Creds.K_BOP.publicKey()))
                .subscription(subscription).listener(recorder).retryBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .connectRetry(Duration.ofMillis(200));
    }

    private static Subscription endpointSubscription() {
        return Subscription.of(List.of(Creds.SUBCMD_EOP_EP), List.of(Creds.K_EOP.publicKey()), true, List.of(), NO_DATTR);
    }

    private static <T> T next(LinkedBlockingQueue<T> q) throws InterruptedException {
        return Events.next(q);
    }

    @Test
    void publisherAndSubscriberClientsCarryADescriptorFromManagerToEndpoint() throws Exception {
        Recorder r = new Recorder();
        NameValues xdescr = descriptor("127.0.0.1:20556");
        try (BrokerHarness h = new BrokerHarness();
             BrokerSubscriber s = subscriber(h.broker.subscriptionAddress(), endpointSubscription(), r).start();
             BrokerPublisher p = publisher(h.broker.publicationAddress()).connect()) {
            assertThat(next(r.subscribed)).isTrue();
            assertThat(s.isSubscribed()).isTrue();
            p.publish(Publication.of(Optional.of(controllerChain()), List.of(), xdescr)).get(10, TimeUnit.SECONDS);
            Xnotify n = next(r.notified);
            assertThat(n.channel()).isEqualTo(Creds.H);
            assertThat(n.xdescr()).isEqualTo(xdescr);
            assertThat(p.localAddress().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void publisherReportsARefusalAsATypedFailureAndStaysUsable() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); BrokerPublisher p = publisher(h.broker.publicationAddress()).connect()) {
            Publication unprivileged = new Publication(List.of(), ChannelList.of(Creds.H), Optional.of(Creds.K_EOP.publicKey()),
                    descriptor("127.0.0.1"));
            assertThatThrownBy(() -> p.publish(unprivileged).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(BrokerRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(Status.EPUBBADCHN);
                        assertThat(e.errid()).isEqualTo(0x51);
                        assertThat(e.request()).isEqualTo("xpub");
                    });
            p.publish(Publication.of(Optional.of(controllerChain()), List.of(), descriptor("127.0.0.1"))).get(10, TimeUnit.SECONDS);
            assertThat(h.broker.publications()).hasSize(1);
        }
    }

    @Test
    void publisherSendsItsChainLeafFirstAndOneRequestAtATime() throws Exception {
        try (FakeBroker fake = new FakeBroker(); BrokerPublisher p = publisher(fake.address()).connect()) {
            Publication pub = Publication.of(Optional.of(controllerChain()), List.of(), descriptor("127.0.0.1"));
            CompletableFuture<Void> done = p.publish(pub);
            FakeBroker.Conn c = fake.accept();
            assertThat(c.readMessage()).isEqualTo(Xcert.of(Creds.PUBCMD_EXPER_XC.der()));
            assertThat(c.buffered()).as("nothing more before the result").isZero();
            c.send(Result.ok());
            assertThat(c.readMessage()).isEqualTo(Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()));
            c.send(Result.ok());
            Xpub xpub = (Xpub) c.readMessage();
            assertThat(xpub.channels().channels()).containsExactly(Creds.H);
            assertThat(xpub.eopkey()).isEqualTo(Creds.K_EOP.publicKey().raw());
            assertThat(done).isNotDone();
            c.send(Result.ok());
            done.get(10, TimeUnit.SECONDS);
            c.send(Result.of(Status.ECTLNOTSUP)); // unexpected after publishing: ignored, as the reference manager does
            c.close();
            p.closeFuture().get(10, TimeUnit.SECONDS);
            assertThat(p.isOpen()).isFalse();
        }
    }

    @Test
    void closingThePublisherWithdrawsAndClosingTheBrokerEndsThePublisher() throws Exception {
        try (BrokerHarness h = new BrokerHarness()) {
            BrokerPublisher first = publisher(h.broker.publicationAddress()).connect();
            first.publish(Publication.of(Optional.of(controllerChain()), List.of(), descriptor("10.0.0.1"))).get(10, TimeUnit.SECONDS);
            first.close();
            Events.next(h.events.withdrawn);
            try (BrokerPublisher second = publisher(h.broker.publicationAddress()).connect()) {
                h.broker.close();
                second.closeFuture().get(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> second.publish(Publication.of(Optional.of(controllerChain()), List.of(), descriptor("10.0.0.1")))
                        .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void publisherRefusesABrokerCertificateNotSignedByItsRoots() throws Exception {
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        try (BrokerHarness h = new BrokerHarness()) {
            assertThatThrownBy(() -> publisher(h.broker.publicationAddress()).brokerRoots(List.of(stranger.publicKey())).connect())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("TLS with the broker")
                    .hasMessageContaining("not a trusted root");
        }
    }

    @Test
    void refusedSubscriberReportsTheReasonAndRetriesWithAGrowingBackoff() throws Exception {
        Recorder r = new Recorder();
        Subscription notEntitled = Subscription.of(List.of(Creds.SUBCMD_EOP_EP), List.of(Creds.K_EOP.publicKey()), true,
                List.of(ChannelItem.of(Creds.OTHER.id())), NO_DATTR);
        try (BrokerHarness h = new BrokerHarness(); BrokerSubscriber s = subscriber(h.broker.subscriptionAddress(), notEntitled, r).start()) {
            Recorder.Disconnect first = next(r.disconnected);
            Recorder.Disconnect second = next(r.disconnected);
            Recorder.Disconnect third = next(r.disconnected);
            assertThat(first.reason()).isEqualTo("broker refused xsub with ESUBBADCHN");
            assertThat(List.of(first.retryIn(), second.retryIn(), third.retryIn()))
                    .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(s.isSubscribed()).isFalse();
            assertThat(s.restarts()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void subscriberWaitsForAnUnreachableBrokerAndResubscribesAfterARestart() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        InetSocketAddress fixed = new InetSocketAddress("127.0.0.1", port);
        Recorder r = new Recorder();
        try (BrokerSubscriber s = subscriber(fixed, endpointSubscription(), r).start()) {
            Recorder.Disconnect unreachable = next(r.disconnected);
            assertThat(unreachable.reason()).startsWith("cannot connect to the broker");
            assertThat(unreachable.retryIn()).isEqualTo(Duration.ofMillis(200));
            try (BrokerHarness h = new BrokerHarness(b -> b.subscriptionAddress(fixed))) {
                next(r.subscribed);
                r.disconnected.clear();
            }
            assertThat(next(r.disconnected).reason()).contains("closed the connection");
            try (BrokerHarness h = new BrokerHarness(b -> b.subscriptionAddress(fixed));
                 BrokerPublisher p = publisher(h.broker.publicationAddress()).connect()) {
                p.publish(Publication.of(Optional.of(controllerChain()), List.of(), descriptor("10.0.0.1"))).get(10, TimeUnit.SECONDS);
                Xnotify n = next(r.notified);
                assertThat(n.xdescr().get("controller_addr")).hasValue("10.0.0.1");
            }
        }
    }

    @Test
    void subscriberPipelinesItsRequestsAndTreatsAnEarlyNotificationAsAProtocolError() throws Exception {
        Recorder r = new Recorder();
        try (FakeBroker fake = new FakeBroker(); BrokerSubscriber s = subscriber(fake.address(), endpointSubscription(), r).start()) {
            FakeBroker.Conn c = fake.accept();
            assertThat(c.readMessage()).isEqualTo(Xcert.of(Creds.SUBCMD_EOP_EP.der()));
            Xsub xsub = (Xsub) c.readMessage(); // sent before any result: pipelined
            assertThat(xsub.channels().channels()).containsExactly(Creds.H);
            assertThat(xsub.eopkey()).isEqualTo(Creds.K_EOP.publicKey().raw());
            c.send(Result.ok(), Xnotify.of(Creds.H, descriptor("10.0.0.1")));
            assertThat(next(r.disconnected).reason()).startsWith("broker sent Xnotify").endsWith("before the last result");
            assertThat(r.notified).isEmpty();

            FakeBroker.Conn again = fake.accept();
            again.readMessage();
            again.readMessage();
            again.send(Result.ok(), Result.ok(), Xnotify.of(Creds.H, descriptor("10.0.0.2")));
            assertThat(next(r.subscribed)).isTrue();
            assertThat(next(r.notified).xdescr().get("controller_addr")).hasValue("10.0.0.2");
            again.send(Result.ok());
            assertThat(next(r.disconnected).reason()).contains("after subscribing");
        }
    }

    @Test
    void subscriberToPublicChannelsNeedsNoCertificates() throws Exception {
        Recorder r = new Recorder();
        Channel lab = Creds.pub("lab");
        try (BrokerHarness h = new BrokerHarness();
             BrokerSubscriber s = subscriber(h.broker.subscriptionAddress(), Subscription.publicChannels(List.of(lab),
                     NameValues.parse("hostid=ep1;", NameValues.Syntax.DATTR)), r).start();
             BrokerPublisher p = publisher(h.broker.publicationAddress()).connect()) {
            next(r.subscribed);
            p.publish(Publication.of(Optional.empty(), List.of(ChannelItem.named("lab")), descriptor("10.0.0.1"))).get(10, TimeUnit.SECONDS);
            assertThat(next(r.notified).channel()).isEqualTo(lab);
        }
    }
}
