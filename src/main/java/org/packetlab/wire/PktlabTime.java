package org.packetlab.wire;

import java.time.Instant;

/**
 * Pktlab time: an unsigned 64-bit count of nanoseconds since 1970-01-01T00:00:00Z, held in a
 * {@code long} (spec/wire-protocol.md §9). {@link #MAX} (2^64-1) means "never" or "forever".
 */
public final class PktlabTime {
    private PktlabTime() {}

    /** 2^64-1 as an unsigned long. */
    public static final long MAX = -1L;
    public static final long TICKS_PER_SECOND = 1_000_000_000L;

    /** The local wall clock now. */
    public static long now() {
        return of(Instant.now());
    }

    /** The pktlab time of an instant; instants before the epoch are refused. */
    public static long of(Instant instant) {
        if (instant.getEpochSecond() < 0) {
            throw new IllegalArgumentException("instant " + instant + " is before the Unix epoch");
        }
        long seconds = instant.getEpochSecond();
        long hi = Math.multiplyHigh(seconds, TICKS_PER_SECOND);
        long lo = seconds * TICKS_PER_SECOND;
        long sum = lo + instant.getNano();
        if (hi != 0 || Long.compareUnsigned(sum, lo) < 0) {
            throw new IllegalArgumentException("instant " + instant + " is beyond pktlab time");
        }
        return sum;
    }

    /** The instant of a pktlab time (read as unsigned). */
    public static Instant toInstant(long time) {
        return Instant.ofEpochSecond(Long.divideUnsigned(time, TICKS_PER_SECOND), Long.remainderUnsigned(time, TICKS_PER_SECOND));
    }

    /** The decimal form of a pktlab time (unsigned). */
    public static String toString(long time) {
        return Long.toUnsignedString(time);
    }
}
