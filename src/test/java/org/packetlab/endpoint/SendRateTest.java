package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.BurstRate;

/** The sliding-window burst rates of spec/agents.md §C.13, on a simulated clock. */
@Timeout(60)
class SendRateTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void steadyRateBelowTheBuiltInTenMegabitsIsNeverHeldBack() {
        SendRate rate = new SendRate(List.of(), List.of());
        for (long t = T0; t < T0 + 30_000 * MS; t += MS) {
            assertThat(rate.earliest(t, 1000)).isEqualTo(t);
            rate.sent(t, 1000);
        }
    }

    @Test
    void burstAboveTheBuiltInRuleWaitsForTheWindowToPass() {
        SendRate rate = new SendRate(List.of(), List.of());
        for (int i = 0; i < 1250; i++) {
            assertThat(rate.earliest(T0, 10_000)).isEqualTo(T0);
            rate.sent(T0, 10_000);
        }
        long at = rate.earliest(T0 + MS, 1);
        assertThat(at).isGreaterThan(T0 + TimeUnit.SECONDS.toNanos(10)).isLessThanOrEqualTo(T0 + TimeUnit.SECONDS.toNanos(10) + SendRate.BUCKET_NANOS + 1);
        assertThat(rate.earliest(at, 1)).isEqualTo(at);
    }

    @Test
    void certificateByteAndPacketRulesBothApply() {
        SendRate rate = new SendRate(List.of(new BurstRate(1000, 400 * MS)), List.of(new BurstRate(2, 1000 * MS)));
        rate.sent(T0, 600);
        assertThat(rate.earliest(T0 + MS, 600)).isEqualTo(T0 + 400 * MS + 1);
        assertThat(rate.earliest(T0 + MS, 400)).isEqualTo(T0 + MS);
        rate.sent(T0 + 500 * MS, 10);
        assertThat(rate.earliest(T0 + 501 * MS, 10)).as("two packets per second").isEqualTo(T0 + 1000 * MS + 1);
    }

    @Test
    void packetsThatCanNeverFitAreRecognised() {
        assertThat(new SendRate(List.of(new BurstRate(1000, MS)), List.of()).neverAllows(1001)).isTrue();
        assertThat(new SendRate(List.of(new BurstRate(1000, MS)), List.of()).neverAllows(1000)).isFalse();
        assertThat(new SendRate(List.of(), List.of(new BurstRate(0, MS))).neverAllows(1)).isTrue();
        assertThat(new SendRate(List.of(), List.of()).neverAllows(12_500_001)).as("the built-in rule").isTrue();
    }
}
