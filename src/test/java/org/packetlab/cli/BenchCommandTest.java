package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code pktlab bench} with tiny sizes: the shape of its output, never its timings. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    @Test
    void benchPrintsEveryFigureWithItsBaselineRatioAndTargetThenExitsZero() {
        CapturedRun p = CapturedRun.of("bench", "--warmup", "0", "--rounds", "50", "--mib", "1", "--sessions", "2", "--broker", "5");

        assertThat(p.exit()).as(p.err()).isZero();
        String number = "\\d+\\.\\d";
        assertThat(p.out()).containsPattern("(?m)^figure\\s+ours\\s+baseline\\s+baseline is\\s+ratio\\s+target$");
        assertThat(p.out()).containsPattern("(?m)^mread round trip p50 \\(µs\\)\\s+" + number + "\\s+" + number + "\\s+TLS 1\\.3 ping-pong\\s+" + number + "\\dx\\s+≤ 2x$");
        assertThat(p.out()).containsPattern("(?m)^mread round trip p99 \\(µs\\)\\s+" + number + "\\s+" + number + "\\s+TLS 1\\.3 ping-pong\\s+" + number + "\\dx\\s+≤ 2x$");
        assertThat(p.out()).containsPattern("(?m)^download 1 MiB via ndata \\(MB/s\\)\\s+" + number + "\\s+" + number + "\\s+TLS 1\\.3 transfer\\s+" + number + "\\dx\\s+≥ 0\\.5x$");
        assertThat(p.out()).containsPattern("(?m)^2 concurrent sessions, 2 ok, set up \\+ mread \\(sessions/s\\)\\s+" + number + "\\s+" + number + "\\s+sequential TLS handshakes/s\\s+" + number + "\\dx\\s+10 000 ok$");
        assertThat(p.out()).containsPattern("(?m)^manager heap per session at 2 \\(KiB\\)\\s+-?" + number + "\\s+-\\s+-\\s+-\\s+-$");
        assertThat(p.out()).containsPattern("(?m)^broker fan-out to 5 subscribers \\(ms\\)\\s+" + number + "\\s+" + number + "\\s+TLS write to 5 clients\\s+" + number + "\\dx\\s+≤ 2x$");
        assertThat(p.out().lines().count()).isEqualTo(7);
        assertThat(p.err()).containsPattern("(?m)^bench: load average at the start \\d+\\.\\d\\d on \\d+ processors; ratios degrade")
                .containsPattern("(?m)^bench: load average at the end \\d+\\.\\d\\d on \\d+ processors$");
    }

    @Test
    void benchJsonListsTheSameFigures() {
        CapturedRun p = CapturedRun.of("bench", "--warmup", "1", "--rounds", "20", "--mib", "1", "--sessions", "1", "--broker", "3", "--json");

        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).startsWith("[\n").endsWith("]\n");
        assertThat(p.out()).contains("\"figure\": \"mread round trip p50\", \"unit\": \"µs\"",
                "\"figure\": \"download 1 MiB via ndata\"", "\"figure\": \"manager heap per session at 1\"",
                "\"figure\": \"broker fan-out to 3 subscribers\", \"unit\": \"ms\"");
        assertThat(p.out()).containsPattern("\"ratio\": \\d+\\.\\d{3}");
        assertThat(p.out().lines().filter(l -> l.startsWith("  {")).count()).isEqualTo(6);
    }

    @Test
    void benchRefusesANegativeWarmUp() {
        CapturedRun p = CapturedRun.of("bench", "--warmup", "-1");

        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("warm-up PT-1S is negative");
    }

    @Test
    void benchRefusesMoreSessionsThanItsMaximum() {
        CapturedRun p = CapturedRun.of("bench", "--sessions", "10001");

        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("sessions 10001 is not in 1..10000");
    }
}
