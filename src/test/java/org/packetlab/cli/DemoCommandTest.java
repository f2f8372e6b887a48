package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.lab.HttpTarget;

/** {@code pktlab demo}: the whole local experiment, as a user runs it. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoPrintsATablePerRunTheHttpResponseAndASummaryThenExitsZero() {
        CapturedRun p = CapturedRun.of("demo");

        assertThat(p.exit()).as(p.err()).isZero();
        String out = p.out();
        assertThat(out).contains("1. HttpGet 127.0.0.1:", "2. Dns pktlab.test", "3. VmemDump");
        // one table per run, endpoints in host id order, every row ok
        assertThat(count(out, "2 endpoints: 2 ok")).isEqualTo(4);
        assertThat(out).containsPattern("(?m)^ {3}#\\s+endpoint\\s+hostid\\s+status\\s+start \\(UTC\\)\\s+duration\\s+result$");
        assertThat(out).containsPattern("(?m)^ {3}1\\s+127\\.0\\.0\\.1:\\d+\\s+ep1\\s+ok\\s.*HTTP/1\\.0 200 OK, "
                + HttpTarget.INDEX_PAGE.length() + " body bytes");
        assertThat(out).containsPattern("(?m)^ {3}2\\s+127\\.0\\.0\\.1:\\d+\\s+ep2\\s+ok\\s.*HTTP/1\\.0 200 OK");
        assertThat(out).containsPattern("(?m)^ {3}1\\s+127\\.0\\.0\\.1:\\d+\\s+ep1\\s+ok\\s.*pktlab\\.test is 127\\.0\\.0\\.3$");
        assertThat(out).containsPattern("(?m)^ {3}2\\s+127\\.0\\.0\\.1:\\d+\\s+ep2\\s+ok\\s.*ep2: TCP/UDP, ");
        // the HTTP response, body included
        assertThat(out).contains("HTTP response received by ep1:", "   | HTTP/1.0 200 OK",
                "   | " + HttpTarget.INDEX_PAGE.strip());
        // the published flow: one descriptor naming the manager, both endpoints notified, withdrawn at the end
        assertThat(out).contains("4. HttpGet 127.0.0.1:");
        assertThat(out).containsPattern("(?m)^ {3}broker {14}127\\.0\\.0\\.1:\\d+ \\(publication\\), 127\\.0\\.0\\.1:\\d+ \\(subscription\\)$");
        assertThat(out).containsPattern("(?m)^ {3}published {11}pub_end=\\d+;controller_addr=127\\.0\\.0\\.1:\\d+;sni_key=[0-9a-z]{63};$");
        assertThat(out).contains("   notified            ep1, ep2\n");
        assertThat(out).containsPattern("(?m)^ {3}now {17}publication at the broker /127\\.0\\.0\\.1:\\d+ withdrawn: the run is over$");
        assertThat(out).containsPattern("(?m)^Done in \\d+\\.\\d\\d s: 4 runs on 2 endpoints, 8 of 8 sessions ok; lab stopped");
        assertThat(out).contains("./pktlab init", "./pktlab endpt", "./pktlab xpmgr", "HttpGet 127.0.0.1:8080 /index.html");
        assertThat(out).doesNotContain("tls_leg", "decoded");
    }

    @Test
    void demoWorksFromAFreshHomeAndKeepsIt() throws Exception {
        Path home = dir.resolve("fresh-home");

        CapturedRun p = CapturedRun.of("demo", "--home", home.toString(), "--endpoints", "1");

        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("  home                " + home.toAbsolutePath())
                .doesNotContain("(temporary")
                .contains("1 endpoint: 1 ok")
                .contains("4 runs on 1 endpoint, 4 of 4 sessions ok")
                .contains("   notified            ep1\n")
                .contains("./pktlab xpmgr -c " + home.toAbsolutePath() + "/xpmgr.conf");
        PktlabHome h = PktlabHome.at(home);
        assertThat(h.isInitialized()).isTrue();
        assertThat(List.of(h.xpmgrConfFile(), h.endptConfFile(), h.certFile(PktlabHome.SUBCMD_EOP_EP))).allMatch(Files::isRegularFile);
        // the published flow made the local broker's identity in the home, as `pktlab broker` does
        assertThat(h.certFile(PktlabHome.AGENT_BOP_BRK)).isRegularFile();
    }

    @Test
    void theDefaultTemporaryHomeIsGoneAfterwards() {
        CapturedRun p = CapturedRun.of("demo", "--endpoints", "1");

        assertThat(p.exit()).as(p.err()).isZero();
        var m = Pattern.compile("(?m)^  home {16}(\\S+)  \\(temporary").matcher(p.out());
        assertThat(m.find()).as(p.out()).isTrue();
        assertThat(Path.of(m.group(1))).doesNotExist();
    }

    @Test
    void aBadEndpointCountIsAUsageError() {
        CapturedRun p = CapturedRun.of("demo", "--endpoints", "0");

        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).startsWith("pktlab demo: --endpoints 0 is not in 1..");
    }

    @Test
    void anUnusableHomeFailsWithOneLine() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "not a home");

        CapturedRun p = CapturedRun.of("demo", "--home", notADirectory.toString());

        assertThat(p.exit()).isEqualTo(1);
        assertThat(p.err().lines().filter(l -> l.startsWith("pktlab demo: ")).toList()).as(p.err())
                .containsExactly("pktlab demo: the PacketLab home " + notADirectory.toAbsolutePath() + " is not a directory");
        assertThat(p.out()).doesNotContain("Done in");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
