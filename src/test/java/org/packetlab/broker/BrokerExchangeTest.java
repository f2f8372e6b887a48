package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.broker.BrokerHarness.OK;
import static org.packetlab.broker.BrokerHarness.hex;
import static org.packetlab.broker.BrokerHarness.xnotify;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Channel;
import org.packetlab.wire.Status;

/** The message exchanges of spec/broker.md §1 and §11, byte for byte, over real TLS on loopback. */
@Timeout(60)
class BrokerExchangeTest {

    private static final String XDESCR = "pub_end=1967225600000000000;controller_addr=203.0.113.7;sni_key=abc;"; // 68 bytes, as §11

    private static byte[] frame(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int len = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(len >> 16);
        out.write(len >> 8);
        out.write(len);
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** chlist of the one 32-byte channel H: 20 H 00. */
    private static byte[] chlistH() {
        return frameless(new byte[] {0x20}, Creds.H.id(), new byte[] {0});
    }

    private static byte[] frameless(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void publisherSendsTwoCertificatesAndAnXpubAndGetsThreeEmptyResults() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            byte[] pubcmd = Creds.PUBCMD_EXPER_XC.der();
            byte[] exppriv = Creds.EXPPRIV_EOP_EXPER.der();
            p.send(frame(0x30, pubcmd));
            assertThat(p.read(4)).containsExactly(OK);
            p.send(frame(0x30, exppriv));
            assertThat(p.read(4)).containsExactly(OK);
            byte[] xpub = frame(0x31, chlistH(), Creds.K_EOP.publicKey().raw(), ascii(XDESCR));
            assertThat(HexFormat.of().formatHex(xpub, 0, 5)).isEqualTo("31000086" + "20"); // 34 + 32 + 68 = 134
            p.send(xpub);
            assertThat(p.read(4)).containsExactly(OK);

            PublicationInfo info = Events.next(h.events.published);
            assertThat(info.channels()).containsExactly(Creds.H);
            assertThat(info.xdescr().toString()).isEqualTo(XDESCR);
            assertThat(info.agentKey()).isEqualTo(Creds.K_XC.keyId());
            assertThat(h.broker.publications()).containsExactly(info);
            assertThat(p.isOpen()).isTrue();
            assertThat(p.unread()).as("nothing after the last result").isZero();
        }
    }

    @Test
    void pipelinedSubscriptionGetsBothResultsBeforeTheNotificationBytes() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publishH(XDESCR); RawClient s = h.subscriber(Creds.endpointAgent())) {
            byte[] xsub = frame(0x38, chlistH(), Creds.K_EOP.publicKey().raw());
            assertThat(HexFormat.of().formatHex(xsub, 0, 4)).isEqualTo("38000042");
            s.send(frameless(frame(0x30, Creds.SUBCMD_EOP_EP.der()), xsub));

            assertThat(s.read(4)).as("result of the xcert").containsExactly(OK);
            assertThat(s.read(4)).as("result of the xsub").containsExactly(OK);
            byte[] notification = s.readFrame();
            assertThat(HexFormat.of().formatHex(notification, 0, 5)).isEqualTo("7000006520"); // 1 + 32 + 68 = 101
            assertThat(notification).containsExactly(frame(0x70, new byte[] {0x20}, Creds.H.id(), ascii(XDESCR)));

            SubscriptionInfo sub = Events.next(h.events.subscribed);
            assertThat(sub.channels()).containsExactly(Creds.H);
            assertThat(sub.agentKey()).isEqualTo(Creds.K_EP.keyId());
        }
    }

    @Test
    void subscriberPresentWhenAPublicationArrivesIsNotifiedLive() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribeH("")) {
            assertThat(s.unread()).isZero();
            try (RawClient p = h.publishH(XDESCR)) {
                assertThat(s.readFrame()).containsExactly(xnotify(Creds.H, XDESCR));
            }
        }
    }

    @Test
    void catchUpDeliversActivePublicationsOldestFirst() throws Exception {
        Channel ch = Creds.pub("lab");
        try (BrokerHarness h = new BrokerHarness();
             RawClient p1 = h.publishPublic("controller_addr=10.0.0.1;", ch);
             RawClient p2 = h.publishPublic("controller_addr=10.0.0.2;", ch);
             RawClient p3 = h.publishPublic("controller_addr=10.0.0.3;", ch);
             RawClient s = h.subscribePublic("", ch)) {
            assertThat(s.readFrame()).containsExactly(xnotify(ch, "controller_addr=10.0.0.1;"));
            assertThat(s.readFrame()).containsExactly(xnotify(ch, "controller_addr=10.0.0.2;"));
            assertThat(s.readFrame()).containsExactly(xnotify(ch, "controller_addr=10.0.0.3;"));
        }
    }

    @Test
    void publicationOnTwoSubscribedChannelsIsNotifiedOnceOnItsFirstChannel() throws Exception {
        Channel a = Creds.pub("a");
        Channel b = Creds.pub("bb");
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", a, b)) {
            try (RawClient p = h.publishPublic("controller_addr=10.0.0.1;", b, a);
                 RawClient sentinel = h.publishPublic("controller_addr=10.0.0.9;", a)) {
                assertThat(s.readFrame()).containsExactly(xnotify(b, "controller_addr=10.0.0.1;"));
                assertThat(s.readFrame()).as("the next one is the sentinel, not a duplicate")
                        .containsExactly(xnotify(a, "controller_addr=10.0.0.9;"));
            }
        }
    }

    @Test
    void repeatedIdenticalXpubOnOneConnectionIsOnePublication() throws Exception {
        Channel ch = Creds.pub("lab");
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", ch); RawClient p = h.publisher()) {
            p.send(BrokerHarness.xpubPublic("controller_addr=10.0.0.1;", ch), BrokerHarness.xpubPublic("controller_addr=10.0.0.1;", ch),
                    BrokerHarness.xpubPublic("controller_addr=10.0.0.2;", ch));
            assertThat(p.read(12)).containsExactly(frameless(OK, OK, OK));
            assertThat(s.readFrame()).containsExactly(xnotify(ch, "controller_addr=10.0.0.1;"));
            assertThat(s.readFrame()).containsExactly(xnotify(ch, "controller_addr=10.0.0.2;"));
            assertThat(h.broker.publications()).hasSize(2);
        }
    }

    @Test
    void hostIdPatternMatchesOnlyEndpointsWhoseAttributesFit() throws Exception {
        Channel ch = Creds.pub("lab");
        String published = "hostid=ep-*;controller_addr=10.0.0.1;";
        String sentinel = "controller_addr=10.0.0.9;";
        try (BrokerHarness h = new BrokerHarness();
             RawClient ep1 = h.subscribePublic("hostid=ep-1;", ch);
             RawClient x = h.subscribePublic("hostid=x;", ch);
             RawClient any = h.subscribePublic("", ch);
             RawClient p = h.publishPublic(published, ch);
             RawClient q = h.publishPublic(sentinel, ch)) {
            assertThat(ep1.readFrame()).containsExactly(xnotify(ch, published));
            assertThat(any.readFrame()).containsExactly(xnotify(ch, published));
            assertThat(x.readFrame()).as("hostid=x does not match ep-*: its first notification is the sentinel")
                    .containsExactly(xnotify(ch, sentinel));
        }
    }

    @Test
    void delegatedOperatorEndpointSubscribesToBothItsChannels() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.endpoint2Agent())) {
            s.send(new org.packetlab.wire.Xcert(Creds.SUBCMD_DEOP_EP2.der()), new org.packetlab.wire.Xcert(Creds.DELPRIV_EOP_DEOP.der()),
                    org.packetlab.wire.Xsub.of(org.packetlab.wire.ChannelList.of(Creds.DEOP, Creds.H), Creds.K_EOP.publicKey().raw(),
                            BrokerHarness.dattr("")));
            assertThat(s.read(12)).containsExactly(frameless(OK, OK, OK));
            try (RawClient p = h.publishH(XDESCR)) {
                assertThat(s.readFrame()).containsExactly(xnotify(Creds.H, XDESCR));
            }
        }
    }

    @Test
    void refusalCarriesTheStatusAsATwoByteErrid() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.endpointAgent())) {
            s.send(frame(0x38, hex("00"), new byte[32]));
            assertThat(s.read(6)).containsExactly(hex("4000000200 60"));
            assertThat(Events.next(h.events.refused).status()).isEqualTo(Status.ESUBBADCHL);
        }
    }
}
