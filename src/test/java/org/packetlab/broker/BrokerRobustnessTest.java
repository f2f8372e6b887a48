package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.broker.BrokerHarness.OK;
import static org.packetlab.broker.BrokerHarness.hex;
import static org.packetlab.broker.BrokerHarness.refusal;
import static org.packetlab.broker.BrokerHarness.xnotify;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Channel;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;

/**
 * Hostile or broken input and full caps (DESIGN §8, spec/broker.md §2.7, §4, §7.3): a clear
 * answer, that connection closes where the spec says so, and every other client carries on.
 */
@Timeout(60)
class BrokerRobustnessTest {
    private static final Channel LAB = Creds.pub("lab");
    private static final String SENTINEL = "controller_addr=10.0.0.9;";

    /** Asserts that an untouched subscriber still gets a new publication. */
    private static void othersCarryOn(BrokerHarness h, RawClient subscriber) throws Exception {
        try (RawClient q = h.publishPublic(SENTINEL, LAB)) {
            assertThat(subscriber.readFrame()).containsExactly(xnotify(LAB, SENTINEL));
        }
    }

    @Test
    void malformedXpubGetsEctlbadmsgAndClosesOnlyThatConnection() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", LAB); RawClient p = h.publisher()) {
            // chlist item of length 0x40 (> 32): malformed per Appendix A
            p.send(hex("31 000022 40" + "00".repeat(33)));
            assertThat(p.read(6)).containsExactly(refusal(Status.ECTLBADMSG));
            p.awaitClosed();
            assertThat(Events.next(h.events.refused).reason()).contains("malformed").contains("channel list");
            othersCarryOn(h, s);
        }
    }

    @Test
    void oversizeFrameGetsEctlbadmsgBeforeItsBodyArrivesAndCloses() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", LAB); RawClient p = h.publisher()) {
            p.send(hex("30 FFFFFF")); // 16 MiB announced, nothing sent
            assertThat(p.read(6)).containsExactly(refusal(Status.ECTLBADMSG));
            p.awaitClosed();
            assertThat(Events.next(h.events.refused).reason()).contains("exceeds the maximum of 65536");
            othersCarryOn(h, s);
        }
    }

    @Test
    void xpubLargerThanTheRequestLimitGetsEctlbadmsg() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            String x = "controller_addr=a;" + "y=".concat("b".repeat(20_000)) + ";";
            p.send(BrokerHarness.xpubPublic(x, LAB));
            assertThat(p.read(6)).containsExactly(refusal(Status.ECTLBADMSG));
            p.awaitClosed();
            assertThat(Events.next(h.events.refused).reason()).contains("exceeds 16384");
        }
    }

    @Test
    void unknownTypeAndNonBrokerMessagesGetEctlnotsupAndTheConnectionCarriesOn() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient c = h.publisher()) {
            c.send(hex("99 000002 abcd"));
            assertThat(c.read(6)).containsExactly(refusal(Status.ECTLNOTSUP));
            c.send(Mread.of(0x10000000L, 8));
            assertThat(c.read(6)).containsExactly(refusal(Status.ECTLNOTSUP));
            c.send(BrokerHarness.xpubPublic(SENTINEL, LAB));
            assertThat(c.read(4)).containsExactly(OK);
        }
    }

    @Test
    void undecodableCertificateGetsEctlbadmsgAndCloses() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", LAB); RawClient c = h.subscriber(Creds.freshAgent())) {
            c.send(Xcert.of(hex("3003020101")));
            assertThat(c.read(6)).containsExactly(refusal(Status.ECTLBADMSG));
            c.awaitClosed();
            assertThat(Events.next(h.events.refused).reason()).contains("not a PacketLab certificate");
            othersCarryOn(h, s);
        }
    }

    @Test
    void connectionEndingInsideAMessageIsDroppedWithAReason() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", LAB)) {
            RawClient c = h.publisher();
            c.send(hex("31 00000a 01020304"));
            c.close();
            assertThat(Events.next(h.events.dropped).reason()).contains("inside a message");
            othersCarryOn(h, s);
        }
    }

    @Test
    void publicationCapRefusesWithEnores() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.maxPublications(1)); RawClient p = h.publishPublic(SENTINEL, LAB)) {
            p.send(BrokerHarness.xpubPublic("controller_addr=10.0.0.2;", LAB));
            assertThat(p.read(6)).containsExactly(refusal(Status.ENORES));
            assertThat(Events.next(h.events.refused).reason()).contains("maximum of 1 publications");
        }
    }

    @Test
    void subscriberCapRefusesWithEnores() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.maxSubscribers(1)); RawClient s = h.subscribePublic("", LAB);
             RawClient t = h.subscriber(Creds.freshAgent())) {
            t.send(BrokerHarness.xsubPublic("", LAB));
            assertThat(t.read(6)).containsExactly(refusal(Status.ENORES));
            assertThat(Events.next(h.events.refused).reason()).contains("maximum of 1 subscriptions");
            othersCarryOn(h, s);
        }
    }

    @Test
    void certificatePoolCapClosesButResentCertificatesDoNotCount() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.maxCertificatesPerConnection(2)); RawClient p = h.publisher()) {
            // as the reference manager: the same chain before every xpub
            for (String x : new String[] {"controller_addr=10.0.0.1;", "controller_addr=10.0.0.2;", "controller_addr=10.0.0.3;"}) {
                p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()), BrokerHarness.xpubH(x));
                assertThat(p.read(12)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0, 0x40, 0, 0, 0);
            }
            p.send(Xcert.of(Creds.SUBCMD_EOP_EP.der()));
            assertThat(p.read(6)).containsExactly(refusal(Status.ECTLBADMSG));
            p.awaitClosed();
            assertThat(Events.next(h.events.refused).reason()).contains("more than 2 certificates");
        }
    }

    @Test
    @Timeout(120) // megabytes must pass through TLS before the kernel buffers are full
    void subscriberThatStopsReadingIsDroppedAndOthersCarryOn() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.maxPendingNotifications(8).maxPublications(100_000));
             // a small window, so that few notifications fill the path to a subscriber that stops reading
             RawClient slow = RawClient.connect(h.loops, h.broker.subscriptionAddress(), Creds.freshAgent(), 4096);
             RawClient p = h.publisher()) {
            slow.send(BrokerHarness.xsubPublic("", LAB));
            assertThat(slow.read(4)).containsExactly(OK);
            slow.pauseReading();
            String filler = "f=" + "x".repeat(4000) + ";";
            Events.Dropped dropped = null;
            for (int batch = 0; dropped == null && batch < 200; batch++) {
                org.packetlab.wire.Message[] xpubs = new org.packetlab.wire.Message[50];
                for (int i = 0; i < xpubs.length; i++) {
                    xpubs[i] = BrokerHarness.xpubPublic("controller_addr=10.0.0.1;n=" + batch + "-" + i + ";" + filler, LAB);
                }
                p.send(xpubs);
                p.read(4 * xpubs.length);
                dropped = h.events.dropped.poll(0, TimeUnit.SECONDS);
            }
            assertThat(dropped).as("the slow subscriber was dropped").isNotNull();
            assertThat(dropped.reason()).contains("notification queue full: 8 pending");
            assertThat(Events.next(h.events.unsubscribed)).isNotNull();
            try (RawClient fresh = h.subscribePublic("", Creds.pub("other"))) {
                othersCarryOnOn(h, fresh);
            }
        }
    }

    @Test
    void catchUpLargerThanTheQueueCapDropsTheSubscriberOnce() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.maxPendingNotifications(2));
             RawClient p = h.publisher()) {
            p.send(BrokerHarness.xpubPublic("controller_addr=10.0.0.1;", LAB), BrokerHarness.xpubPublic("controller_addr=10.0.0.2;", LAB),
                    BrokerHarness.xpubPublic("controller_addr=10.0.0.3;", LAB), BrokerHarness.xpubPublic("controller_addr=10.0.0.4;", LAB));
            assertThat(p.read(16)).hasSize(16);
            try (RawClient s = h.subscriber(Creds.freshAgent())) {
                s.send(BrokerHarness.xsubPublic("", LAB));
                assertThat(s.read(4)).containsExactly(OK);
                s.awaitClosed();
            }
            assertThat(Events.next(h.events.dropped).reason()).contains("notification queue full: 2 pending");
            assertThat(h.events.subscribed).isEmpty();
            assertThat(h.events.dropped).as("dropped once").isEmpty();
            assertThat(h.broker.subscriptions()).isEmpty();
        }
    }

    private static void othersCarryOnOn(BrokerHarness h, RawClient subscriber) throws Exception {
        try (RawClient q = h.publishPublic(SENTINEL, Creds.pub("other"))) {
            assertThat(subscriber.readFrame()).containsExactly(xnotify(Creds.pub("other"), SENTINEL));
        }
    }
}
