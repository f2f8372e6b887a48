package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.broker.BrokerHarness.OK;
import static org.packetlab.broker.BrokerHarness.refusal;
import static org.packetlab.broker.BrokerHarness.xnotify;

import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Channel;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Status;

/**
 * How long things live at the broker (spec/broker.md §2.6, §9): expiry at {@code pub_end}, by the
 * real clock and through the clock seam; withdrawal when the publisher goes; timeouts only until a
 * client has published or subscribed; refusals held back.
 */
@Timeout(60)
class BrokerLifetimeTest {
    private static final Channel LAB = Creds.pub("lab");
    private static final String SENTINEL = "controller_addr=10.0.0.9;";

    private static String endingAt(long pubEnd) {
        return "pub_end=" + PktlabTime.toString(pubEnd) + ";controller_addr=10.0.0.1;";
    }

    @Test
    void publicationExpiresAtPubEndAndLaterSubscribersNeverSeeIt() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher(); RawClient q = h.publishPublic(SENTINEL, LAB)) {
            long end = PktlabTime.now() + Duration.ofSeconds(1).toNanos();
            p.send(BrokerHarness.xpubPublic(endingAt(end), LAB));
            assertThat(p.read(4)).containsExactly(OK);
            PublicationInfo expired = Events.next(h.events.expired);
            assertThat(Long.compareUnsigned(PktlabTime.now(), end)).as("not before pub_end").isGreaterThanOrEqualTo(0);
            assertThat(expired.end()).hasValue(end);
            assertThat(h.broker.publications()).extracting(PublicationInfo::xdescr).extracting(Object::toString).containsExactly(SENTINEL);
            try (RawClient s = h.subscribePublic("", LAB)) {
                assertThat(s.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
            }
        }
    }

    @Test
    void clockSeamDecidesExpiryForSubscribersArrivingLater() throws Exception {
        TestClock clock = new TestClock();
        try (BrokerHarness h = new BrokerHarness(b -> b.clock(clock))) {
            long end = PktlabTime.of(clock.instant().plus(Duration.ofHours(1)));
            try (RawClient p = h.publishPublic(endingAt(end), LAB); RawClient q = h.publishPublic(SENTINEL, LAB)) {
                try (RawClient before = h.subscribePublic("", LAB)) {
                    assertThat(before.readFrame()).containsExactly(xnotify(LAB, endingAt(end)));
                    assertThat(before.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
                }
                clock.advance(Duration.ofHours(2));
                try (RawClient after = h.subscribePublic("", LAB)) {
                    assertThat(after.readFrame()).as("the expired publication is skipped").containsExactly(xnotify(LAB, SENTINEL));
                }
                assertThat(Events.next(h.events.expired).end()).hasValue(end);
            }
        }
    }

    @Test
    void publicationAlreadyPastItsEndIsAcceptedButNeverDelivered() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", LAB); RawClient p = h.publisher()) {
            p.send(BrokerHarness.xpubPublic(endingAt(PktlabTime.now() - 1), LAB), BrokerHarness.xpubPublic(SENTINEL, LAB));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            Events.next(h.events.expired);
            assertThat(s.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
        }
    }

    @Test
    void publicationEndsNoLaterThanItsChain() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publishH("controller_addr=10.0.0.1;")) {
            PublicationInfo info = h.broker.publications().getFirst();
            assertThat(Creds.PUBCMD_EXPER_XC.notAfter()).isEqualTo(Creds.EXPPRIV_EOP_EXPER.notAfter());
            assertThat(info.end()).hasValue(PktlabTime.of(Creds.PUBCMD_EXPER_XC.notAfter()) + 1);
        }
    }

    @Test
    void publisherClosingItsConnectionWithdrawsItsPublications() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient q = h.publishPublic(SENTINEL, LAB)) {
            RawClient p = h.publisher();
            p.send(BrokerHarness.xpubPublic("controller_addr=10.0.0.1;", LAB), BrokerHarness.xpubPublic("controller_addr=10.0.0.2;", LAB));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            p.close();
            assertThat(Events.next(h.events.withdrawn).xdescr().toString()).isEqualTo("controller_addr=10.0.0.1;");
            assertThat(Events.next(h.events.withdrawn).xdescr().toString()).isEqualTo("controller_addr=10.0.0.2;");
            try (RawClient s = h.subscribePublic("", LAB)) {
                assertThat(s.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
            }
            assertThat(h.broker.publications()).hasSize(1);
        }
    }

    @Test
    void subscriberClosingEndsItsSubscription() throws Exception {
        try (BrokerHarness h = new BrokerHarness()) {
            RawClient s = h.subscribePublic("", LAB);
            assertThat(h.broker.subscriptions()).hasSize(1);
            s.close();
            Events.next(h.events.unsubscribed);
            assertThat(h.broker.subscriptions()).isEmpty();
        }
    }

    @Test
    void connectionWithoutAClientHelloIsClosedAfterTheSetupTimeout() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.setupTimeout(Duration.ofMillis(300)));
             Socket silent = new Socket(h.broker.subscriptionAddress().getAddress(), h.broker.subscriptionAddress().getPort())) {
            silent.setSoTimeout(10_000);
            InputStream in = silent.getInputStream();
            assertThat(in.read()).as("closed by the broker").isEqualTo(-1);
            assertThat(Events.next(h.events.dropped).reason()).contains("TLS handshake failed").contains("timed out");
        }
    }

    @Test
    void clientSendingNoRequestIsClosedAfterTheSetupTimeout() throws Exception {
        // long enough for a handshake on a loaded machine; the request never comes
        try (BrokerHarness h = new BrokerHarness(b -> b.setupTimeout(Duration.ofMillis(1500))); RawClient c = h.subscriber(Creds.freshAgent())) {
            c.send(new byte[] {0x38, 0, 0}); // part of a header: bytes, but no whole message
            c.awaitClosed();
            assertThat(Events.next(h.events.dropped).reason()).contains("no complete request within 1500 ms");
        }
    }

    @Test
    void noTimeoutAppliesOnceSubscribedOrPublished() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.setupTimeout(Duration.ofMillis(1500)));
             RawClient s = h.subscribePublic("", LAB); RawClient p = h.publisher()) {
            long end = PktlabTime.now() + Duration.ofMillis(4000).toNanos();
            p.send(BrokerHarness.xpubPublic(endingAt(end), LAB));
            assertThat(p.read(4)).containsExactly(OK);
            assertThat(s.readFrame()).containsExactly(xnotify(LAB, endingAt(end)));
            Events.next(h.events.expired); // both connections have now been silent for more than two setup timeouts
            p.send(BrokerHarness.xpubPublic(SENTINEL, LAB));
            assertThat(p.read(4)).containsExactly(OK);
            assertThat(s.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
            assertThat(h.events.dropped).isEmpty();
        }
    }

    @Test
    void refusalIsHeldBackByTheRefusalDelayAndLaterAnswersKeepTheirOrder() throws Exception {
        Duration delay = Duration.ofMillis(400);
        try (BrokerHarness h = new BrokerHarness(b -> b.refusalDelay(delay)); RawClient s = h.subscriber(Creds.freshAgent())) {
            long t0 = System.nanoTime();
            s.send(BrokerHarness.xsubPublic(""), BrokerHarness.xsubPublic("", LAB));
            assertThat(s.read(6)).containsExactly(refusal(Status.ESUBBADCHL));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(delay);
            assertThat(s.read(4)).containsExactly(OK);
        }
    }
}
