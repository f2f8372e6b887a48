package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigTextTest {
    @TempDir
    Path dir;
    Path home;
    XpmgrConf xpmgr;

    @BeforeEach
    void setUp() throws Exception {
        home = ConfigFixtures.referenceHome(dir);
        xpmgr = XpmgrConf.builder().controllerPrivkeyPath(home.resolve("keys/k_xc"))
                .addExpExec(ExpExec.of(List.of(home.resolve("certs/exppriv_eop_exper.cert"),
                        home.resolve("certs/pubcmd_exper_xc.cert")), List.of(home.resolve("keys/k_eop.pub"))).withDefault(true))
                .build();
    }

    @Test
    void everyOptionIsDocumentedAndAbsentOnesAreCommentedOut() {
        String text = ConfigText.of(xpmgr).toString();
        List<String> lines = text.lines().toList();
        for (Option<?> o : XpmgrSchema.OPTIONS) {
            assertThat(lines).as(o.key()).anyMatch(l -> l.startsWith(o.key() + " ") || l.startsWith("#" + o.key() + " "));
        }
        assertThat(lines).contains("EnableExpPublication 0", "#BrokerAddr ADDR[:PORT]", "#TargetBacklogConn 2",
                "ControllerPrivkeyPath " + home.resolve("keys/k_xc"));
        assertThat(lines).filteredOn(l -> !l.isEmpty() && !l.startsWith("#"))
                .containsExactly("ControllerPrivkeyPath " + home.resolve("keys/k_xc"),
                        "ExpExec 1::" + home.resolve("certs/exppriv_eop_exper.cert") + "," + home.resolve("certs/pubcmd_exper_xc.cert")
                                + ":" + home.resolve("keys/k_eop.pub") + "::",
                        "EnableExpPublication 0");
    }

    @Test
    void usesLfOnlyAndLinesTheReferenceReadsWhole() {
        String text = ConfigText.of(xpmgr).comment("written by a test").toString();
        assertThat(text).doesNotContain("\r").endsWith("\n");
        assertThat(text.lines()).allMatch(l -> l.getBytes(StandardCharsets.UTF_8).length < ConfigLines.BUFFER - 1);
        assertThat(text).contains("#\n# written by a test\n");
    }

    @Test
    void suggestionsFillCommentedOutLines() {
        String text = ConfigText.of(xpmgr).suggest("BrokerAddr", "pktbrokr.caida.org").toString();
        assertThat(text.lines()).contains("#BrokerAddr pktbrokr.caida.org");
        assertThatThrownBy(() -> ConfigText.of(xpmgr).suggest("NoSuchOption", "1")).hasMessageContaining("no option");
    }

    @Test
    void setOptionsIgnoreSuggestions() {
        String text = ConfigText.of(xpmgr).suggest("EnableExpPublication", "1").toString();
        assertThat(text.lines()).contains("EnableExpPublication 0").doesNotContain("#EnableExpPublication 1");
    }

    @Test
    void lineLongerThanTheReferenceBufferIsRefused() {
        String longValue = "a".repeat(ConfigLines.BUFFER);
        assertThatThrownBy(() -> ConfigText.of(xpmgr).suggest("PubCountry", longValue).toString())
                .hasMessageContaining("cannot be read by the reference");
    }

    @Test
    void writtenFileParsesWithoutWarnings() throws Exception {
        Path out = dir.resolve("x.conf");
        ConfigText.of(xpmgr).suggest("BrokerAddr", "pktbrokr.caida.org").comment("line one\nline two").writeTo(out);
        LoadedConfig<XpmgrConf> back = XpmgrConf.load(out, dir);
        assertThat(back.warnings()).isEmpty();
        assertThat(back.config()).isEqualTo(xpmgr);
    }
}
