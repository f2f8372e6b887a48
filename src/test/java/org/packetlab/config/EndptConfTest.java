package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.EndptConf.Transport;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

@Timeout(10)
class EndptConfTest {
    @TempDir
    Path dir;
    Path home;
    String keys;
    String certs;

    @BeforeEach
    void setUp() throws Exception {
        home = ConfigFixtures.referenceHome(dir);
        keys = home.resolve("keys").toString();
        certs = home.resolve("certs").toString();
    }

    /** A minimal valid NoSubMode file followed by {@code more} lines. */
    private Path conf(String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "TransprotoSup tcp,udp",
                "VMemLocalAddrStrIPv4 127.0.0.1/8",
                "ControllerCertChainPath " + certs + "/subcmd_eop_ep.cert",
                "EndpointPrivKey " + keys + "/k_ep",
                "NoSubMode 1"));
        lines.addAll(List.of(more));
        return ConfigFixtures.write(dir, "endpt.conf", lines.toArray(String[]::new));
    }

    private LoadedConfig<EndptConf> loaded(String... more) throws ConfigException {
        return EndptConf.load(conf(more), dir);
    }

    private EndptConf load(String... more) throws ConfigException {
        return loaded(more).config();
    }

    @Test
    void referenceInitFileLoadsUnchanged() throws Exception {
        LoadedConfig<EndptConf> loaded = EndptConf.load(ConfigFixtures.referenceConf(home, "endpt.conf"), dir);
        EndptConf c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.bufMax()).isEqualTo(8_388_608);
        assertThat(c.transprotoSup()).containsExactlyInAnyOrder(Transport.TCP, Transport.UDP);
        assertThat(c.rawModeLkm()).isFalse();
        assertThat(c.vmemLocalAddrIPv4()).containsExactly("127.0.0.1/8");
        assertThat(c.hostId()).isEqualTo("pktendpt");
        assertThat(c.brokerAddr()).contains(AgentAddress.of("localhost"));
        assertThat(c.brokerChannel()).isEmpty();
        assertThat(c.autoExtractChannel()).isTrue();
        assertThat(c.endpointAgentCertPath()).contains(home.resolve("certs/agent_ep_ep.cert"));
        assertThat(c.brokerChainRootPath()).containsExactly(home.resolve("keys/caida_k_bop.pub"));
        assertThat(c.endpointOpPubKeyPath()).containsExactly(home.resolve("keys/k_eop.pub"));
        assertThat(c.subPrivCertChainPath()).containsExactly(home.resolve("certs/subcmd_eop_ep.cert"));
        assertThat(c.controllerCertChainPath()).containsExactly(home.resolve("certs/subcmd_eop_ep.cert"));
        assertThat(c.endpointPrivKey()).isEqualTo(home.resolve("keys/k_ep"));
        assertThat(c.noSubMode()).isFalse();
        assertThat(c.monitorDeadline()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.monitorMemoryMax()).isEqualTo(1_048_576);
        assertThat(c.endpointAttr().isEmpty()).isTrue();
    }

    @Test
    void specExampleInSubscriptionModeLoads() throws Exception {
        Path file = ConfigFixtures.write(dir, "example.conf",
                "BufMax 8388608",
                "TransprotoSup raw,tcp,udp",
                "VMemLocalAddrStrIPv4 192.0.2.10/24",
                "VMemLocalDNSAddrStrIPv4 192.0.2.53",
                "HostID ep1.example.net",
                "BrokerAddr 127.0.0.1",
                "AutoExtractChannel 1",
                "EndpointAgentCertPath " + certs + "/agent_ep_ep.cert",
                "BrokerChainRootPath " + keys + "/caida_k_bop.pub",
                "EndpointOpPubKeyPath " + keys + "/k_eop.pub",
                "SubPrivCertChainPath " + certs + "/subcmd_eop_ep.cert",
                "ControllerCertChainPath " + certs + "/subcmd_eop_ep.cert",
                "EndpointPrivKey " + keys + "/k_ep",
                "EndpointAttr hostid=ep1.example.net;endpoint_country=USA;",
                "NoSubMode 0");
        EndptConf c = EndptConf.load(file, dir).config();
        assertThat(c.transprotoSup()).containsExactlyInAnyOrder(Transport.RAW, Transport.TCP, Transport.UDP);
        assertThat(c.vmemLocalDnsAddrIPv4()).containsExactly("192.0.2.53");
        assertThat(c.endpointAttr().get("endpoint_country")).contains("USA");
        assertThat(c.brokerAddr().orElseThrow().port(AgentAddress.DefaultPort.BROKER_SUBSCRIBE)).isEqualTo(20557);
    }

    @Test
    void firstOccurrenceOfAnOverwritingOptionWinsAndEveryOneIsValidated() throws Exception {
        EndptConf c = load("MonitorDeadlineMillsec 7", "MonitorDeadlineMillsec 9", "NoSubMode 0", "BufMax 1", "BufMax 2");
        assertThat(c.monitorDeadline()).isEqualTo(Duration.ofMillis(7));
        assertThat(c.noSubMode()).isTrue();
        assertThat(c.bufMax()).isEqualTo(1);
        assertThatThrownBy(() -> load("WorkerBusyWaitMode 1", "WorkerBusyWaitMode x"))
                .hasMessageContaining(":7: WorkerBusyWaitMode \"x\": must be 0 or 1");
    }

    @Test
    void latchedOptionKeepsTheLastNonEmptyValue() throws Exception {
        EndptConf c = load("HostID first", "HostID second", "HostID ", "NoSubModeSNIKey BAD", "NoSubModeSNIKey lab1");
        assertThat(c.hostId()).isEqualTo("second");
        assertThat(c.noSubModeSniKey()).contains(new Snikey("lab1"));
    }

    @Test
    void transportsAccumulateOverLinesCaseInsensitively() throws Exception {
        LoadedConfig<EndptConf> l = loaded("TransprotoSup RAW", "TransprotoSup tcp,ICMP,tcp ");
        assertThat(l.config().transprotoSup()).containsExactlyInAnyOrder(Transport.TCP, Transport.UDP, Transport.RAW);
        assertThat(l.warnings()).extracting(ConfigWarning::problem)
                .containsExactly("item \"ICMP\" is not tcp, udp or raw: ignored (as the reference does)",
                        "item \"tcp \" is not tcp, udp or raw: ignored (as the reference does)");
        assertThat(l.lines("TransprotoSup")).containsExactly(1, 6, 7);
    }

    @Test
    void emptyTransprotoSupIsAnErrorAndUnknownItemsEnableNothing() {
        assertThatThrownBy(() -> load("TransprotoSup")).hasMessageContaining(":6: TransprotoSup \"\": empty");
        Path file = ConfigFixtures.write(dir, "t.conf", "TransprotoSup icmp", "VMemLocalAddrStrIPv4 127.0.0.1/8",
                "ControllerCertChainPath " + certs + "/subcmd_eop_ep.cert", "EndpointPrivKey " + keys + "/k_ep", "NoSubMode 1");
        assertThatThrownBy(() -> EndptConf.load(file, dir))
                .hasMessageContaining("TransprotoSup must enable at least one of tcp, udp, raw");
    }

    @Test
    void bufMaxQuirksAreReproducedWithWarnings() throws Exception {
        LoadedConfig<EndptConf> wrapped = loaded("BufMax 4294967297");
        assertThat(wrapped.config().bufMax()).isEqualTo(1);
        assertThat(wrapped.warnings()).singleElement().satisfies(w -> assertThat(w.problem()).contains("truncated"));
        LoadedConfig<EndptConf> huge = loaded("BufMax -1");
        assertThat(huge.config().bufMax()).isEqualTo(EndptConf.DEFAULT_BUF_MAX);
        assertThat(huge.warnings()).singleElement().satisfies(w -> assertThat(w.problem()).contains("2^63"));
        assertThat(load("BufMax 4294967295").bufMax()).isEqualTo(4_294_967_295L);
        assertThat(load("BufMax ").bufMax()).isEqualTo(EndptConf.DEFAULT_BUF_MAX);
    }

    @Test
    void monitorMemoryMaxMustStayBelowU32Max() throws Exception {
        assertThatThrownBy(() -> load("MonitorMemoryMax 4294967295")).hasMessageContaining("less than 4294967295");
        LoadedConfig<EndptConf> small = loaded("MonitorMemoryMax 1000");
        assertThat(small.config().monitorMemoryMax()).isEqualTo(1000);
        assertThat(small.warnings()).singleElement().satisfies(w -> assertThat(w.problem()).contains("cannot run"));
    }

    @Test
    void snikeyAndDattrAreValidatedAtParseTime() {
        assertThatThrownBy(() -> load("NoSubModeSNIKey Lab1")).hasMessageContaining("NoSubModeSNIKey \"Lab1\": not a snikey");
        assertThatThrownBy(() -> load("EndpointAttr *")).hasMessageContaining("EndpointAttr \"*\"");
        assertThatThrownBy(() -> load("EndpointAttr a=1;a=2;")).hasMessageContaining("duplicate name");
        assertThatThrownBy(() -> load("EndpointAttr hostid=ep*;")).hasMessageContaining("EndpointAttr");
    }

    @Test
    void brokerChannelIsAHexList() throws Exception {
        EndptConf c = load("BrokerChannel ," + "ab".repeat(32) + ",7075626c6963");
        assertThat(c.brokerChannel()).containsExactly(ChannelItem.DERIVED, new ChannelItem("ab".repeat(32)),
                ChannelItem.named("public"));
        assertThatThrownBy(() -> load("BrokerChannel xyz")).hasMessageContaining("BrokerChannel \"xyz\"");
    }

    @Test
    void subscriptionModeNeedsBrokerCredentials() {
        Path file = ConfigFixtures.write(dir, "sub.conf", "TransprotoSup tcp", "VMemLocalAddrStrIPv6 ::1",
                "ControllerCertChainPath " + certs + "/subcmd_eop_ep.cert", "EndpointPrivKey " + keys + "/k_ep");
        assertThatThrownBy(() -> EndptConf.load(file, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": option presence requirements are not met: BrokerAddr is required when NoSubMode is 0;"
                        + " EndpointAgentCertPath is required when NoSubMode is 0; BrokerChainRootPath is required when"
                        + " NoSubMode is 0; SubPrivCertChainPath is required when NoSubMode is 0; AutoExtractChannel 1 is"
                        + " required when BrokerChannel is absent or has an empty item (there would be no private channel to"
                        + " subscribe to)");
    }

    @Test
    void presenceRulesNeedAddressesKeyAndChain() {
        Path file = ConfigFixtures.write(dir, "bare.conf", "TransprotoSup tcp", "NoSubMode 1");
        assertThatThrownBy(() -> EndptConf.load(file, dir))
                .hasMessage(file + ": option presence requirements are not met: VMemLocalAddrStrIPv4 or VMemLocalAddrStrIPv6"
                        + " is required; EndpointPrivKey is required; ControllerCertChainPath is required");
    }

    @Test
    void rlimDbPathIsNotCheckedForExistence() throws Exception {
        assertThat(load("RLimDBPath state/endpt.rlim").rlimDbPath()).contains(dir.resolve("state/endpt.rlim"));
    }

    @Test
    void writtenFileLoadsBackEqual() throws Exception {
        EndptConf c = load("BufMax 1024", "TransprotoSup raw", "RawModeLKM 1", "VMemLocalAddrStrIPv6 ::1,lo",
                "VMemLocalDNSAddrStrIPv4 127.0.0.53", "VMemLocalDNSAddrStrIPv6 ::1", "HostID ep one ",
                "BrokerAddr [::1]:20557", "BrokerChannel ,7075626c6963", "AutoExtractChannel 1",
                "EndpointAgentCertPath " + certs + "/agent_ep_ep.cert", "BrokerChainRootPath " + keys + "/caida_k_bop.pub",
                "EndpointOpPubKeyPath " + keys + "/k_eop.pub," + keys + "/k_exper.pub",
                "SubPrivCertChainPath " + certs + "/subcmd_eop_ep.cert", "EndpointAttr hostid=ep1;",
                "NoSubModeSNIKey lab1", "RLimDBPath x.rlim", "WorkerBusyWaitMode 1", "MonitorReportCrash 1",
                "MonitorDeadlineMillsec 250", "MonitorMemoryMax 200000", "MonitorEnableDebug 1");
        Path out = dir.resolve("written.conf");
        ConfigText.of(c).writeTo(out);
        LoadedConfig<EndptConf> back = EndptConf.load(out, dir);
        assertThat(back.config()).isEqualTo(c);
        assertThat(back.warnings()).isEmpty();
    }

    @Test
    void builderDefaultsAreTheReferenceDefaults() {
        EndptConf c = EndptConf.builder().vmemLocalAddrIPv4(List.of("127.0.0.1/8")).noSubMode(true)
                .endpointPrivKey(home.resolve("keys/k_ep")).controllerCertChainPath(List.of(home.resolve("certs/subcmd_eop_ep.cert")))
                .build();
        assertThat(c.bufMax()).isEqualTo(8_388_608);
        assertThat(c.transprotoSup()).isEqualTo(Set.of(Transport.TCP, Transport.UDP));
        assertThat(c.hostId()).isEmpty();
        assertThat(c.autoExtractChannel()).isFalse();
        assertThat(c.monitorDeadline()).isEqualTo(EndptConf.DEFAULT_MONITOR_DEADLINE);
        assertThat(c.monitorMemoryMax()).isEqualTo(EndptConf.DEFAULT_MONITOR_MEMORY_MAX);
        assertThat(c.endpointAttr()).isEqualTo(NameValues.empty(NameValues.Syntax.DATTR));
        EndptConf sub = c.newBuilder().noSubMode(false).brokerAddr(AgentAddress.of("127.0.0.1"))
                .endpointAgentCertPath(home.resolve("certs/agent_ep_ep.cert"))
                .brokerChainRootPath(List.of(home.resolve("keys/caida_k_bop.pub")))
                .subPrivCertChainPath(List.of(home.resolve("certs/subcmd_eop_ep.cert"))).autoExtractChannel(true).build();
        assertThat(sub.noSubMode()).isFalse();
        assertThat(c.noSubMode()).isTrue();
        assertThatThrownBy(() -> EndptConf.builder().bufMax(1L << 32)).hasMessageContaining("BufMax");
        assertThatThrownBy(() -> EndptConf.builder().monitorDeadline(Duration.ofNanos(1))).hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> EndptConf.builder().hostId("a\nb")).hasMessageContaining("control character");
        assertThatThrownBy(() -> EndptConf.builder().endpointAttr(NameValues.empty(NameValues.Syntax.XDESCR)))
                .hasMessageContaining("dattr");
    }
}
