package org.packetlab.bench;

import java.util.Arrays;

/** Percentiles of a set of measured durations in nanoseconds. */
record Latencies(long[] sortedNanos) {
    static Latencies of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies measured");
        }
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return new Latencies(copy);
    }

    /** The {@code p}-th percentile (nearest rank) in microseconds. */
    double percentileMicros(double p) {
        int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1_000.0;
    }
}
