package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.broker.BrokerHarness.OK;
import static org.packetlab.broker.BrokerHarness.refusal;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xsub;

/** Requests the broker refuses (spec/broker.md §5.1, §8.1, §2.5), with the status and a reason. */
@Timeout(60)
class BrokerRefusalTest {

    private static final String GOOD = "controller_addr=127.0.0.1;sni_key=abc;";

    private static void assertRefused(BrokerHarness h, RawClient c, Status status, String reasonPart) throws Exception {
        assertThat(c.read(6)).as("result %s", status).containsExactly(refusal(status));
        Events.Refused r = Events.next(h.events.refused);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.reason()).contains(reasonPart);
    }

    @Test
    void subscriptionToAPrivateChannelNotEntitledIsRefusedWithEsubbadchn() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.endpointAgent())) {
            // the endpoint's chain is rooted at EOp, but it asks for the other operator's channel
            s.send(Xcert.of(Creds.SUBCMD_EOP_EP.der()),
                    Xsub.of(ChannelList.of(Creds.OTHER), Creds.K_EOP.publicKey().raw(), BrokerHarness.dattr("")));
            assertThat(s.read(4)).containsExactly(OK);
            assertRefused(h, s, Status.ESUBBADCHN, "is not among the chain's channels");
            assertThat(h.broker.subscriptions()).isEmpty();
        }
    }

    @Test
    void publicationToAnotherOperatorsPrivateChannelIsRefusedWithEpubbadchn() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()),
                    Xpub.of(ChannelList.of(Creds.OTHER), Creds.K_EOP.publicKey().raw(), BrokerHarness.xdescr(GOOD)));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            assertRefused(h, p, Status.EPUBBADCHN, "is not the chain's channel");
            assertThat(h.broker.publications()).isEmpty();
        }
    }

    @Test
    void privateChannelsWithoutAChainAreRefused() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher(); RawClient s = h.subscriber(Creds.endpointAgent())) {
            p.send(BrokerHarness.xpubH(GOOD));
            assertRefused(h, p, Status.EPUBBADCHN, "no pubcmd certificate for the client's agent key");
            s.send(Xsub.of(ChannelList.of(Creds.H), Creds.K_EOP.publicKey().raw(), BrokerHarness.dattr("")));
            assertRefused(h, s, Status.ESUBBADCHN, "no subcmd certificate for the client's agent key");
        }
    }

    @Test
    void chainRootedAtAnotherKeyThanTheEopkeyIsRefused() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            // a valid chain for the other operator, claimed under EOp's key and channel
            p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_OTHER_EXPER.der()), BrokerHarness.xpubH(GOOD));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            assertRefused(h, p, Status.EPUBBADCHN, "which is not a trusted root");
        }
    }

    @Test
    void chainOfAnotherControllerKeyIsRefused() throws Exception {
        // the pubcmd names K_XC, but this publisher's agent key is a fresh one
        try (BrokerHarness h = new BrokerHarness(); RawClient p = RawClient.connect(h.loops, h.broker.publicationAddress(), Creds.freshAgent())) {
            p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()), BrokerHarness.xpubH(GOOD));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            assertRefused(h, p, Status.EPUBBADCHN, "no pubcmd certificate for the client's agent key");
        }
    }

    @Test
    void privateChannelWithAZeroEopkeyIsRefused() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.endpointAgent())) {
            s.send(Xcert.of(Creds.SUBCMD_EOP_EP.der()), Xsub.of(ChannelList.of(Creds.H), new byte[32], BrokerHarness.dattr("")));
            assertThat(s.read(4)).containsExactly(OK);
            assertRefused(h, s, Status.ESUBBADCHN, "without an eopkey");
        }
    }

    @Test
    void expiredChainIsRefused() throws Exception {
        Cert expired = Cert.subcmd().subject(Creds.K_EP.publicKey()).validFrom(Creds.FROM.minusSeconds(7200))
                .validUntil(Creds.FROM.minusSeconds(3600)).signWith(Creds.K_EOP);
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.endpointAgent())) {
            s.send(Xcert.of(expired.der()), Xsub.of(ChannelList.of(Creds.H), Creds.K_EOP.publicKey().raw(), BrokerHarness.dattr("")));
            assertThat(s.read(4)).containsExactly(OK);
            assertRefused(h, s, Status.ESUBBADCHN, "EXPIRED_CERT");
        }
    }

    @Test
    void eachXpubRuleHasItsStatusAndTheConnectionCarriesOn() throws Exception {
        String big = "x=" + "a".repeat(4094) + ";";
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            p.send(BrokerHarness.xpubPublic(GOOD));
            assertRefused(h, p, Status.EPUBBADCHL, "empty channel list");
            p.send(BrokerHarness.xpubPublic(big + GOOD, Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADXD, "exceeds 4095");
            p.send(BrokerHarness.xpubPublic("sni_key=abc;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADADDR, "needs exactly 1");
            p.send(BrokerHarness.xpubPublic("controller_addr=host:99999;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADADDR, "host:99999");
            p.send(BrokerHarness.xpubPublic("controller_addr=a;controller_addr=b;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADADDR, "2 controller_addr");
            p.send(BrokerHarness.xpubPublic("controller_addr=a;sni_key=ABC;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADXD, "sni_key");
            p.send(BrokerHarness.xpubPublic("controller_addr=a;pub_end=soon;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADXD, "pub_end");
            p.send(BrokerHarness.xpubPublic("controller_addr=a;exp_priority=4294967296;", Creds.pub("a")));
            assertRefused(h, p, Status.EPUBBADPR, "exp_priority");
            p.send(BrokerHarness.xpubPublic("controller_addr=[::1]:20556;exp_priority=4294967295;", Creds.pub("a")));
            assertThat(p.read(4)).as("the connection still works").containsExactly(OK);
        }
    }

    @Test
    void priorityAboveTheChainsLimitIsRefusedWithEpubbadpr() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient p = h.publisher()) {
            p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()),
                    BrokerHarness.xpubH("exp_priority=11;" + GOOD));
            assertThat(p.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
            assertRefused(h, p, Status.EPUBBADPR, "max_num_priority 10");
            p.send(BrokerHarness.xpubH("exp_priority=10;" + GOOD));
            assertThat(p.read(4)).containsExactly(OK);
        }
    }

    @Test
    void xsubRulesHaveTheirStatus() throws Exception {
        String big = "x=" + "a".repeat(4094) + ";";
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscriber(Creds.freshAgent())) {
            s.send(BrokerHarness.xsubPublic(""));
            assertRefused(h, s, Status.ESUBBADCHL, "empty channel list");
            s.send(BrokerHarness.xsubPublic(big, Creds.pub("a")));
            assertRefused(h, s, Status.ESUBBADDA, "exceeds 4095");
            s.send(BrokerHarness.xsubPublic("hostid=ep1;", Creds.pub("a")));
            assertThat(s.read(4)).as("a refused xsub may be followed by a good one").containsExactly(OK);
        }
    }

    @Test
    void secondRoleAndSecondSubscriptionAreRefusedWithEctlnotsup() throws Exception {
        try (BrokerHarness h = new BrokerHarness(); RawClient s = h.subscribePublic("", Creds.pub("a"));
             RawClient p = h.publishPublic(GOOD, Creds.pub("b"))) {
            s.send(BrokerHarness.xsubPublic("", Creds.pub("b")));
            assertRefused(h, s, Status.ECTLNOTSUP, "second xsub");
            p.send(BrokerHarness.xsubPublic("", Creds.pub("b")));
            assertRefused(h, p, Status.ECTLNOTSUP, "cannot also subscribe");
        }
    }

    @Test
    void clientWithoutACertificateFailsTheHandshake() throws Exception {
        try (BrokerHarness h = new BrokerHarness();
             RawClient c = RawClient.open(h.loops, h.broker.subscriptionAddress(), null, List.of(Creds.K_BOP.publicKey()))) {
            assertThat(Events.next(h.events.dropped).reason()).startsWith("TLS handshake failed");
            c.awaitClosed();
        }
    }

    @Test
    void clientPresentingANonAgentCertificateFailsTheHandshakeWithAReason() throws Exception {
        TlsIdentity subcmdAsIdentity = new TlsIdentity(List.of(Creds.SUBCMD_EOP_EP), Creds.K_EP);
        try (BrokerHarness h = new BrokerHarness();
             RawClient c = RawClient.open(h.loops, h.broker.subscriptionAddress(), subcmdAsIdentity, List.of(Creds.K_BOP.publicKey()))) {
            assertThat(Events.next(h.events.dropped).reason()).contains("TLS handshake failed").contains("UNEXPECTED_CERT");
            c.awaitClosed();
        }
    }

    @Test
    void clientTrustingAnotherOperatorRefusesTheBrokersCertificate() throws Exception {
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        try (BrokerHarness h = new BrokerHarness();
             RawClient c = RawClient.open(h.loops, h.broker.subscriptionAddress(), Creds.endpointAgent(), List.of(stranger.publicKey()))) {
            var hs = c.tls().handshakeFuture().await();
            assertThat(hs.isSuccess()).isFalse();
            assertThat(BrokerConnector.describe(hs.cause())).contains("not a trusted root");
            c.awaitClosed();
        }
    }

    @Test
    void allowListDisconnectsAgentsNotOnIt() throws Exception {
        try (BrokerHarness h = new BrokerHarness(b -> b.policy(BrokerPolicy.allowAgents(List.of(Creds.K_XC.keyId()))));
             RawClient allowed = h.publisher();
             RawClient other = RawClient.open(h.loops, h.broker.subscriptionAddress(), Creds.endpointAgent(), List.of(Creds.K_BOP.publicKey()))) {
            assertThat(Events.next(h.events.dropped).reason()).contains(Creds.K_EP.keyId().hex()).contains("not admitted");
            other.awaitClosed();
            allowed.send(BrokerHarness.xpubPublic(GOOD, Creds.pub("a")));
            assertThat(allowed.read(4)).containsExactly(OK);
        }
    }

    @Test
    void policyCanRefusePublicChannels() throws Exception {
        BrokerPolicy onlyLab = new BrokerPolicy() {
            @Override
            public boolean allowsPublicChannel(Role role, org.packetlab.ppks.Ed25519PublicKey agentKey, org.packetlab.wire.Channel channel) {
                return channel.equals(Creds.pub("lab"));
            }
        };
        try (BrokerHarness h = new BrokerHarness(b -> b.policy(onlyLab)); RawClient p = h.publisher()) {
            p.send(BrokerHarness.xpubPublic(GOOD, Creds.pub("lab"), Creds.pub("x")));
            assertRefused(h, p, Status.EPUBBADCHN, "policy");
        }
    }
}
