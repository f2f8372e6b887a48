package org.packetlab.ppks;

import java.util.ArrayList;
import java.util.List;

/**
 * One sliding-window rate limit of {@code max_burst_rate_byte} / {@code max_burst_rate_pkt}: at most
 * {@code count} bytes or packets within any {@code window} pktlab ticks (nanoseconds)
 * (spec/certificates.md §3.2). Both are unsigned 64-bit values; window is non-zero.
 */
public record BurstRate(long count, long window) {
    public BurstRate {
        if (window == 0) {
            throw new IllegalArgumentException("burst window must be > 0");
        }
    }

    /** Parses a {@code COUNT/WINDOW,COUNT/WINDOW} list (decimals, no spaces). */
    static List<BurstRate> parseList(String value) {
        List<BurstRate> out = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            int slash = item.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("burst rate \"" + item + "\" is not COUNT/WINDOW");
            }
            out.add(new BurstRate(Decimal.parseU64(item.substring(0, slash)), Decimal.parseU64(item.substring(slash + 1))));
        }
        return List.copyOf(out);
    }

    /** {@code COUNT/WINDOW}. */
    @Override
    public String toString() {
        return Long.toUnsignedString(count) + "/" + Long.toUnsignedString(window);
    }
}
