package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.util.ArrayList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

@Timeout(10)
class XpmgrConfTest {
    @TempDir
    Path dir;
    Path home;
    String keys;
    String certs;
    String chain;

    @BeforeEach
    void setUp() throws Exception {
        home = ConfigFixtures.referenceHome(dir);
        keys = home.resolve("keys").toString();
        certs = home.resolve("certs").toString();
        chain = certs + "/exppriv_eop_exper.cert," + certs + "/pubcmd_exper_xc.cert";
    }

    /** A minimal valid file followed by {@code more} lines. */
    private Path conf(String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "EnableExpPublication 0",
                "ControllerPrivkeyPath " + keys + "/k_xc",
                "ExpExec 1::" + chain + ":" + keys + "/k_eop.pub::"));
        lines.addAll(List.of(more));
        return ConfigFixtures.write(dir, "xpmgr.conf", lines.toArray(String[]::new));
    }

    private XpmgrConf load(String... more) throws ConfigException {
        return XpmgrConf.load(conf(more), dir).config();
    }

    @Test
    void referenceInitFileLoadsUnchanged() throws Exception {
        Path file = ConfigFixtures.referenceConf(home, "xpmgr.conf");
        LoadedConfig<XpmgrConf> loaded = XpmgrConf.load(file, dir);
        XpmgrConf c = loaded.config();
        assertThat(loaded.warnings()).isEmpty();
        assertThat(c.enableExpPublication()).isTrue();
        assertThat(c.brokerAddr()).contains(AgentAddress.of("localhost"));
        assertThat(c.pubAgentCertPath()).contains(home.resolve("certs/agent_xc_xc.cert"));
        assertThat(c.brokerCertRootPath()).containsExactly(home.resolve("keys/caida_k_bop.pub"));
        assertThat(c.pubPeriod()).contains(Duration.ofDays(365));
        assertThat(c.controllerPrivkeyPath()).isEqualTo(home.resolve("keys/k_xc"));
        assertThat(c.expExec()).containsExactly(new ExpExec(true, Optional.empty(),
                List.of(home.resolve("certs/exppriv_eop_exper.cert"), home.resolve("certs/pubcmd_exper_xc.cert")),
                List.of(home.resolve("keys/k_eop.pub")), List.of(), NameValues.empty(NameValues.Syntax.XDESCR)));
        assertThat(c.programDirPath()).contains(home.resolve("progs"));
        assertThat(c.enableProxyMode()).isFalse();
        assertThat(c.targetBacklogConn()).isEqualTo(2);
        assertThat(c.backlogConnTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.bootstrapBacklogTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.greetPeriodAfterPubEnd()).isZero();
        assertThat(c.pubExpPriority()).isEmpty();
        assertThat(loaded.line("ExpExec")).isEqualTo(OptionalInt.of(36));
    }

    @Test
    void referenceProxyFileLoadsUnchanged() throws Exception {
        XpmgrConf c = XpmgrConf.load(ConfigFixtures.referenceConf(home, "xpmgr.proxy.conf"), dir).config();
        assertThat(c.enableProxyMode()).isTrue();
        assertThat(c.backlogConnAgentCertPath()).contains(home.resolve("certs/agent_xc_xc.cert"));
        assertThat(c.proxyCertRootPath()).isEmpty();
        assertThat(c.targetBacklogConn()).isEqualTo(2);
        assertThat(c.backlogConnTimeout()).isEqualTo(Duration.ofNanos(2_000_000_000L));
    }

    @Test
    void lastNonEmptyOccurrenceOfALatchedOptionWinsAndHigherOnesAreNotValidated() throws Exception {
        XpmgrConf c = load("TargetBacklogConn 0", "PubExpPriority garbage", "PubExpPriority 7", "PubExpPriority ",
                "TargetBacklogConn 5");
        assertThat(c.pubExpPriority()).isEqualTo(OptionalLong.of(7));
        assertThat(c.targetBacklogConn()).isEqualTo(5);
    }

    @Test
    void emptyValueOfALatchedBooleanIsAnErrorWhenItIsTheLastOccurrence() {
        assertThatThrownBy(() -> load("EnableProxyMode 1", "EnableProxyMode"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("xpmgr.conf") + ":5: EnableProxyMode \"\": must be 0 or 1");
    }

    @Test
    void badValueHigherThanTheEffectiveOccurrenceOfABooleanIsNotChecked() throws Exception {
        assertThat(load("EnableProxyMode yes", "EnableProxyMode 1").enableProxyMode()).isTrue();
    }

    @Test
    void errorNamesFileLineOptionValueAndProblem() {
        Path file = conf("PubPeriod 10s");
        assertThatThrownBy(() -> XpmgrConf.load(file, dir))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(OptionalInt.of(4));
                    assertThat(e.option()).contains("PubPeriod");
                    assertThat(e.value()).contains("10s");
                    assertThat(e.problem()).isEqualTo("unexpected text after the number");
                })
                .hasMessage(file + ":4: PubPeriod \"10s\": unexpected text after the number");
    }

    @Test
    void lowestBadLineInTheFileIsReportedFirstAsInTheReference() {
        assertThatThrownBy(() -> load("PubPeriod x", "PubExpPriority y"))
                .hasMessageContaining(":5: PubExpPriority \"y\"");
    }

    @Test
    void unknownOptionsAreWarningsNamingKeyValueAndLine() throws Exception {
        LoadedConfig<XpmgrConf> loaded = XpmgrConf.load(conf("Colour blue", "  indented 1", "enableexppublication 1"), dir);
        assertThat(loaded.warnings()).extracting(ConfigWarning::line, ConfigWarning::key, ConfigWarning::value)
                .containsExactly(tuple(4, "Colour", "blue"),
                        tuple(5, "", "indented 1"),
                        tuple(6, "enableexppublication", "1"));
        assertThat(loaded.warnings().get(0).toString())
                .isEqualTo(dir.resolve("xpmgr.conf") + ":4: Colour \"blue\": unknown option, line ignored");
    }

    @Test
    void inlineCommentIsPartOfTheValue() {
        assertThatThrownBy(() -> load("PubExpPriority 3 # three"))
                .hasMessageContaining("PubExpPriority \"3 # three\"");
        assertThatThrownBy(() -> load("ProgramDirPath " + home.resolve("progs") + " # monitors"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void nonNumericTargetBacklogConnIsIgnoredWithAWarningLikeTheReference() throws Exception {
        LoadedConfig<XpmgrConf> loaded = XpmgrConf.load(conf("TargetBacklogConn many"), dir);
        assertThat(loaded.config().targetBacklogConn()).isEqualTo(2);
        assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w.problem()).contains("ignored"));
        assertThatThrownBy(() -> load("TargetBacklogConn 0")).hasMessageContaining("must be greater than 0");
    }

    @Test
    void trailingBlankBreaksANumberLikeInTheReference() {
        assertThatThrownBy(() -> load("BacklogConnTimeout 100 ")).hasMessageContaining("unexpected text after the number");
    }

    @Test
    void crlfFileLoadsBecauseWeStripCarriageReturns() throws Exception {
        Path file = dir.resolve("crlf.conf");
        Files.writeString(file, String.join("\r\n", "EnableExpPublication 0", "ControllerPrivkeyPath " + keys + "/k_xc",
                "ExpExec 1::" + chain + ":" + keys + "/k_eop.pub::", ""));
        assertThat(XpmgrConf.load(file, dir).config().expExec()).hasSize(1);
    }

    @Test
    void relativePathsStartAtTheWorkingDirectoryNotAtTheFile() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("elsewhere"));
        Path file = ConfigFixtures.write(sub, "x.conf", "EnableExpPublication 0", "ControllerPrivkeyPath .pktlab/keys/k_xc",
                "ExpExec 0::.pktlab/certs/exppriv_eop_exper.cert:.pktlab/keys/k_eop.pub::");
        XpmgrConf c = XpmgrConf.load(file, dir).config();
        assertThat(c.controllerPrivkeyPath()).isEqualTo(dir.resolve(".pktlab/keys/k_xc"));
        assertThatThrownBy(() -> XpmgrConf.load(file, sub)).hasMessageContaining(":3: ExpExec");
    }

    @Test
    void expExecEntriesAccumulateInFileOrderWithTheirLines() throws Exception {
        LoadedConfig<XpmgrConf> loaded = XpmgrConf.load(conf(
                "ExpExec 0:lab2:" + chain + ":" + keys + "/k_eop.pub:,7075626c6963:exp_priority=3;endpoint_country=USA;endpoint_country=CAN;",
                "ExpExec ",
                "ExpExec 0:openexp:" + chain + "::7075626c6963:controller_addr=198.51.100.4:20556;"), dir);
        List<ExpExec> e = loaded.config().expExec();
        assertThat(e).hasSize(3);
        assertThat(loaded.lines("ExpExec")).containsExactly(3, 4, 6);
        assertThat(e.get(1).snikey()).contains(new Snikey("lab2"));
        assertThat(e.get(1).pubChannel()).containsExactly(ChannelItem.DERIVED, ChannelItem.named("public"));
        assertThat(e.get(1).overrideXdescr().getAll("endpoint_country")).containsExactly("USA", "CAN");
        assertThat(e.get(2).trustedEop()).isEmpty();
        // the sixth field takes the remainder, colons included
        assertThat(e.get(2).overrideXdescr().get("controller_addr")).contains("198.51.100.4:20556");
    }

    @Test
    void expExecNeedsSixFields() {
        assertThatThrownBy(() -> load("ExpExec 0::" + chain + ":" + keys + "/k_eop.pub:"))
                .hasMessageContaining(":4: ExpExec")
                .hasMessageContaining("need six ':'-separated fields");
    }

    @Test
    void expExecRejectsUpperCaseSnikeysAndBadFields() {
        assertThatThrownBy(() -> load("ExpExec 0:Lab2:" + chain + ":" + keys + "/k_eop.pub::"))
                .hasMessageContaining("SNIKEY \"Lab2\"");
        assertThatThrownBy(() -> load("ExpExec 2::" + chain + ":" + keys + "/k_eop.pub::"))
                .hasMessageContaining("IS_DEFAULT \"2\" must be 0 or 1");
        assertThatThrownBy(() -> load("ExpExec 0::::7075626c6963:"))
                .hasMessageContaining("EXPPRIVCHAIN_PATH is empty");
        assertThatThrownBy(() -> load("ExpExec 0::" + chain + "," + certs + "/none.cert:" + keys + "/k_eop.pub::"))
                .hasMessageContaining("EXPPRIVCHAIN_PATH: file " + certs + "/none.cert does not exist");
        assertThatThrownBy(() -> load("ExpExec 0::" + chain + ":" + keys + "/k_eop.pub:0x01:"))
                .hasMessageContaining("not hex digits");
        assertThatThrownBy(() -> load("ExpExec 0::" + chain + ":" + keys + "/k_eop.pub::exp_priority=3"))
                .hasMessageContaining("OVERRIDE_XDESCRNVP");
    }

    @Test
    void withoutTrustedEopKeysOnlyPublicChannelsAreAllowed() {
        for (String channels : List.of("", ",7075626c6963", "ab".repeat(32))) {
            assertThatThrownBy(() -> load("ExpExec 0:x:" + chain + "::" + channels + ":"))
                    .as(channels)
                    .hasMessageContaining("must list only public channels");
        }
    }

    @Test
    void twoDefaultEntriesBreakThePresenceRules() {
        assertThatThrownBy(() -> load("ExpExec 1:b:" + chain + ":" + keys + "/k_eop.pub::"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.line()).isEmpty())
                .hasMessage(dir.resolve("xpmgr.conf") + ": option presence requirements are not met:"
                        + " at most one ExpExec may have IS_DEFAULT 1");
    }

    @Test
    void presenceRulesNameEveryMissingOption() {
        Path file = ConfigFixtures.write(dir, "empty.conf", "# nothing");
        assertThatThrownBy(() -> XpmgrConf.load(file, dir))
                .hasMessage(file + ": option presence requirements are not met: EnableExpPublication is required;"
                        + " ControllerPrivkeyPath is required; at least one ExpExec is required");
        Path publishing = ConfigFixtures.write(dir, "pub.conf", "EnableExpPublication 1",
                "ControllerPrivkeyPath " + keys + "/k_xc", "ExpExec 1::" + chain + ":" + keys + "/k_eop.pub::");
        assertThatThrownBy(() -> XpmgrConf.load(publishing, dir))
                .hasMessageContaining("BrokerAddr is required when EnableExpPublication is 1")
                .hasMessageContaining("PubAgentCertPath is required when EnableExpPublication is 1");
    }

    @Test
    void publicationOptionsAreValidatedEvenWhenPublicationIsOff() {
        assertThatThrownBy(() -> load("PubAgentCertPath " + certs + "/missing.cert"))
                .hasMessageContaining(":4: PubAgentCertPath");
        assertThatThrownBy(() -> load("BrokerAddr [::1]")).hasMessageContaining(":4: BrokerAddr");
    }

    @Test
    void publishingWithoutPubPeriodWarns() throws Exception {
        Path file = ConfigFixtures.write(dir, "pub.conf", "EnableExpPublication 1", "BrokerAddr 127.0.0.1",
                "PubAgentCertPath " + certs + "/agent_xc_xc.cert",
                "ControllerPrivkeyPath " + keys + "/k_xc", "ExpExec 1::" + chain + ":" + keys + "/k_eop.pub::");
        assertThat(XpmgrConf.load(file, dir).warnings()).singleElement()
                .satisfies(w -> assertThat(w.problem()).contains("without PubPeriod"));
    }

    @Test
    void countriesAndLocationsFollowTheirShapes() throws Exception {
        XpmgrConf c = load("PubCountry USA,CAN", "PubLocation FN*,JO2?");
        assertThat(c.pubCountry()).containsExactly("USA", "CAN");
        assertThat(c.pubLocation()).containsExactly("FN*", "JO2?");
        assertThatThrownBy(() -> load("PubCountry usa")).hasMessageContaining("3 upper-case letters");
        assertThatThrownBy(() -> load("PubCountry USA,")).hasMessageContaining("PubCountry item \"\"");
        assertThatThrownBy(() -> load("PubLocation FN31pr")).hasMessageContaining("Maidenhead");
    }

    @Test
    void addressesKeepTheirTextAndDefaultPorts() throws Exception {
        XpmgrConf c = load("PubControllerAddr [::1]:20556", "BrokerAddr 127.0.0.1");
        assertThat(c.pubControllerAddr()).contains(AgentAddress.of("::1", 20556));
        assertThat(c.brokerAddr().orElseThrow().port(AgentAddress.DefaultPort.BROKER_PUBLISH)).isEqualTo(20556);
    }

    @Test
    void writtenFileLoadsBackEqual() throws Exception {
        XpmgrConf c = load("PubControllerAddr [::1]:20556", "BrokerAddr 127.0.0.1:7", "PubPeriod -1",
                "PubExpPriority 18446744073709551615", "PubCountry USA,CAN", "PubLocation FN*",
                "GreetPeriodAfterPubEnd 5", "EnableProxyMode 1", "TargetBacklogConn 9", "BacklogConnTimeout 1",
                "BootstrapBacklogTimeout 3", "ProxyCertRootPath " + keys + "/k_eop.pub," + keys + "/k_ep.pub",
                "BacklogConnAgentCertPath " + certs + "/agent_xc_xc.cert", "ProgramDirPath " + home.resolve("progs") + "/",
                "ExpExec 0:openexp:" + chain + "::7075626c6963:controller_addr=198.51.100.4:20556;");
        Path out = dir.resolve("written.conf");
        ConfigText.of(c).writeTo(out);
        LoadedConfig<XpmgrConf> back = XpmgrConf.load(out, dir);
        assertThat(back.config()).isEqualTo(c);
        assertThat(back.warnings()).isEmpty();
    }

    @Test
    void builderAppliesDefaultsAndChecksPresence() throws Exception {
        XpmgrConf c = XpmgrConf.builder()
                .enableExpPublication(false)
                .controllerPrivkeyPath(home.resolve("keys/k_xc"))
                .addExpExec(ExpExec.of(List.of(home.resolve("certs/pubcmd_exper_xc.cert")), List.of(home.resolve("keys/k_eop.pub")))
                        .withDefault(true))
                .build();
        assertThat(c.targetBacklogConn()).isEqualTo(XpmgrConf.DEFAULT_TARGET_BACKLOG_CONN);
        assertThat(c.backlogConnTimeout()).isEqualTo(XpmgrConf.DEFAULT_BACKLOG_CONN_TIMEOUT);
        XpmgrConf publishing = c.newBuilder().enableExpPublication(true).brokerAddr(AgentAddress.of("127.0.0.1"))
                .pubAgentCertPath(home.resolve("certs/agent_xc_xc.cert")).pubPeriod(XpmgrConf.ONE_YEAR).build();
        assertThat(c.enableExpPublication()).isFalse();
        assertThat(publishing.enableExpPublication()).isTrue();
        assertThatThrownBy(() -> c.newBuilder().enableExpPublication(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BrokerAddr is required");
        assertThatThrownBy(() -> XpmgrConf.builder().targetBacklogConn(0)).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> XpmgrConf.builder().pubCountry(List.of("US"))).hasMessageContaining("PubCountry");
        assertThatThrownBy(() -> XpmgrConf.builder().pubPeriod(Duration.ofSeconds(-1))).hasMessage("PubPeriod < 0");
    }

    @Test
    void builderRefusesPathsAFileCannotCarry() throws Exception {
        Path comma = Files.writeString(dir.resolve("a,b.pub"), "x");
        assertThatThrownBy(() -> ExpExec.of(List.of(comma), List.of(home.resolve("keys/k_eop.pub"))))
                .hasMessageContaining("contains ':' or ','");
        XpmgrConf.Builder b = XpmgrConf.builder().controllerPrivkeyPath(home.resolve("keys/k_xc"))
                .addExpExec(ExpExec.of(List.of(home.resolve("certs/pubcmd_exper_xc.cert")), List.of(home.resolve("keys/k_eop.pub"))))
                .proxyCertRootPath(List.of(comma));
        assertThatThrownBy(b::build).hasMessageContaining("cannot be part of a path list");
    }

    @Test
    void expExecTextRoundTrips() throws Exception {
        String value = "0:lab2:" + chain + ":" + keys + "/k_eop.pub:,7075626c6963:exp_priority=3;endpoint_country=USA;";
        ExpExec e = ExpExec.parse(value);
        assertThat(e.toString()).isEqualTo(value);
        assertThat(ExpExec.parse(e.toString())).isEqualTo(e);
    }
}
