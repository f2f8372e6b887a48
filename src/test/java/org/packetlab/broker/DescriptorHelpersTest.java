package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.ChannelItem;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.WireCodec;

/** The publication and subscription helpers build what the reference manager and endpoint send (spec/agents.md §B.3–B.5, §C.2.1). */
@Timeout(60)
class DescriptorHelpersTest {
    private static final Snikey KEY = new Snikey("k3x9q");
    private static final NameValues NO_DATTR = NameValues.empty(NameValues.Syntax.DATTR);

    private static NameValues xdescr(String s) {
        return NameValues.parse(s, NameValues.Syntax.XDESCR);
    }

    @Test
    void descriptorPairsComeInTheReferenceOrder() {
        NameValues x = ExperimentDescriptor.builder().snikey(KEY).controllerAddr("203.0.113.7").pubEnd(1767225600000000000L)
                .expPriority(5).countries(List.of("USA", "FRA")).locations(List.of("FN20", "JN18")).hostId("ep-*").build();
        assertThat(x.toString()).isEqualTo("hostid=ep-*;endpoint_location=JN18;endpoint_location=FN20;endpoint_country=FRA;"
                + "endpoint_country=USA;exp_priority=5;pub_end=1767225600000000000;controller_addr=203.0.113.7;sni_key=k3x9q;");
    }

    @Test
    void minimalDescriptorIsTheSpecExample() {
        NameValues x = ExperimentDescriptor.builder().snikey(KEY).controllerAddr("203.0.113.7").pubEnd(1767225600000000000L)
                .expPriority(5).build();
        assertThat(x.toString()).isEqualTo("exp_priority=5;pub_end=1767225600000000000;controller_addr=203.0.113.7;sni_key=k3x9q;");
    }

    @Test
    void overridesReplaceGeneratedPairsOfTheirNameAndComeLastInReverseOrder() {
        NameValues x = ExperimentDescriptor.builder().snikey(KEY).controllerAddr("10.0.0.1").expPriority(5)
                .countries(List.of("USA")).overrides(xdescr("endpoint_country=DEU;exp_priority=7;site=a;endpoint_country=CAN;")).build();
        assertThat(x.toString()).isEqualTo("controller_addr=10.0.0.1;sni_key=k3x9q;"
                + "endpoint_country=CAN;site=a;exp_priority=7;endpoint_country=DEU;");
    }

    @Test
    void overridesBreakingTheRulesAreRefused() {
        var b = ExperimentDescriptor.builder().snikey(KEY).controllerAddr("10.0.0.1");
        assertThatThrownBy(() -> b.overrides(xdescr("sni_key=abc;")).build()).hasMessageContaining("sni_key cannot be overridden");
        assertThatThrownBy(() -> b.overrides(xdescr("pub_end=1;pub_end=2;")).build()).hasMessageContaining("more than one pub_end");
        assertThatThrownBy(() -> b.overrides(xdescr("endpoint_country=usa;")).build()).hasMessageContaining("endpoint_country");
        assertThatThrownBy(() -> b.overrides(xdescr("controller_addr=a:b:c;")).build()).hasMessageContaining("controller_addr");
        assertThatThrownBy(() -> b.overrides(xdescr("exp_priority=-1;")).build()).hasMessageContaining("exp_priority");
        assertThat(b.overrides(xdescr("controller_addr=proxy.example:443;")).build().getAll("controller_addr"))
                .containsExactly("proxy.example:443");
    }

    @Test
    void pubEndIsNowPlusThePeriodAndSaturates() {
        long now = PktlabTime.of(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(ExperimentDescriptor.builder().snikey(KEY).controllerAddr("a").pubPeriod(now, Duration.ofSeconds(10)).build()
                .get("pub_end")).hasValue(Long.toUnsignedString(now + 10_000_000_000L));
        assertThat(ExperimentDescriptor.builder().snikey(KEY).controllerAddr("a").pubPeriod(now, Duration.ofDays(365L * 1000)).build()
                .get("pub_end")).hasValue("18446744073709551615");
    }

    @Test
    void controllerAddressFollowsTheReferenceSelection() throws Exception {
        InetAddress local = InetAddress.getByName("192.0.2.5");
        Optional<AgentAddress> conf = Optional.of(AgentAddress.parse("ctl.example:30000"));
        assertThat(ExperimentDescriptor.controllerAddr(Optional.of("198.51.100.1:1"), conf, Optional.of("0.0.0.0"), false, local))
                .isEqualTo("198.51.100.1:1");
        assertThat(ExperimentDescriptor.controllerAddr(Optional.empty(), conf, Optional.empty(), false, local)).isEqualTo("ctl.example:30000");
        assertThat(ExperimentDescriptor.controllerAddr(Optional.empty(), Optional.empty(), Optional.of("10.1.1.1:20600"), false, local))
                .isEqualTo("10.1.1.1:20600");
        assertThat(ExperimentDescriptor.controllerAddr(Optional.empty(), Optional.empty(), Optional.empty(), false, local))
                .isEqualTo("192.0.2.5");
        assertThat(ExperimentDescriptor.controllerAddr(Optional.empty(), Optional.empty(), Optional.of("proxy.example:20557"), true, local))
                .isEqualTo("proxy.example");
        assertThat(ExperimentDescriptor.controllerAddr(Optional.empty(), Optional.empty(), Optional.empty(), false, InetAddress.getByName("::1")))
                .isEqualTo("[0:0:0:0:0:0:0:1]:20556");
    }

    @Test
    void publicationDerivesTheKeyChannelAndEopkeyFromTheVerifiedChain() {
        Verdict.Verified chain = (Verdict.Verified) ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, Creds.K_EOP.publicKey())
                .verify(List.of(Creds.PUBCMD_EXPER_XC, Creds.EXPPRIV_EOP_EXPER));
        NameValues x = xdescr("controller_addr=a;sni_key=b;");
        Publication keyOnly = Publication.of(Optional.of(chain), List.of(), x);
        assertThat(keyOnly.channels().channels()).containsExactly(Creds.H);
        assertThat(keyOnly.eopkey()).contains(Creds.K_EOP.publicKey());
        assertThat(keyOnly.chain()).containsExactly(Creds.PUBCMD_EXPER_XC, Creds.EXPPRIV_EOP_EXPER);
        assertThat(keyOnly.xcerts()).hasSize(2);

        Publication mixed = Publication.of(Optional.of(chain), List.of(ChannelItem.named("lab"), ChannelItem.DERIVED), x);
        assertThat(mixed.channels().channels()).containsExactly(Creds.pub("lab"), Creds.H);
        byte[] xpub = WireCodec.encode(mixed.xpub());
        assertThat(xpub[0]).isEqualTo((byte) 0x31);
        assertThat(xpub[4]).as("first channel length").isEqualTo((byte) 3);
    }

    @Test
    void publicationWithoutTrustedOperatorKeysIsPublicOnly() {
        NameValues x = xdescr("controller_addr=a;");
        Publication pub = Publication.of(Optional.empty(), List.of(ChannelItem.named("lab")), x);
        assertThat(pub.chain()).isEmpty();
        assertThat(pub.xpub().eopkey()).containsOnly(0);
        assertThatThrownBy(() -> Publication.of(Optional.empty(), List.of(), x)).hasMessageContaining("needs trusted EOp keys");
        assertThatThrownBy(() -> Publication.of(Optional.empty(), List.of(ChannelItem.of(Creds.H.id())), x))
                .hasMessageContaining("needs trusted EOp keys");
    }

    @Test
    void subscriptionExtractsPrivateChannelsInReverseListOrderAndPicksTheEopkeyOfTheLastCertificate() {
        List<org.packetlab.ppks.Cert> chain = List.of(Creds.SUBCMD_DEOP_EP2, Creds.DELPRIV_EOP_DEOP);
        Subscription s = Subscription.of(chain, List.of(Creds.K_OTHER.publicKey(), Creds.K_EOP.publicKey()), true, List.of(), NO_DATTR);
        assertThat(s.channels().channels()).containsExactly(Creds.H, Creds.DEOP);
        assertThat(s.eopkey()).contains(Creds.K_EOP.publicKey());
        assertThat(s.xcerts()).extracting(c -> c.der().length).containsExactly(Creds.SUBCMD_DEOP_EP2.der().length, Creds.DELPRIV_EOP_DEOP.der().length);

        Subscription listed = Subscription.of(chain, List.of(Creds.K_EOP.publicKey()), true,
                List.of(ChannelItem.named("lab"), ChannelItem.DERIVED), NameValues.parse("hostid=ep2;", NameValues.Syntax.DATTR));
        assertThat(listed.channels().channels()).containsExactly(Creds.pub("lab"), Creds.H, Creds.DEOP);
        assertThat(listed.xsub().dattr().toString()).isEqualTo("hostid=ep2;");
    }

    @Test
    void subscriptionRefusesWhatTheReferenceEndpointCannotSubscribeWith() {
        List<org.packetlab.ppks.Cert> chain = List.of(Creds.SUBCMD_EOP_EP);
        assertThatThrownBy(() -> Subscription.of(chain, List.of(Creds.K_OTHER.publicKey()), true, List.of(), NO_DATTR))
                .hasMessageContaining("no EndpointOpPubKeyPath key");
        assertThatThrownBy(() -> Subscription.of(chain, List.of(Creds.K_EOP.publicKey()), false, List.of(), NO_DATTR))
                .hasMessageContaining("nothing to subscribe to");
        assertThatThrownBy(() -> Subscription.of(chain, List.of(Creds.K_EOP.publicKey()), false, List.of(ChannelItem.DERIVED), NO_DATTR))
                .hasMessageContaining("AutoExtractChannel");
        Subscription publicOnly = Subscription.of(chain, List.of(Creds.K_EOP.publicKey()), false, List.of(ChannelItem.named("lab")), NO_DATTR);
        assertThat(publicOnly.channels().channels()).containsExactly(Channel.of("lab".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
