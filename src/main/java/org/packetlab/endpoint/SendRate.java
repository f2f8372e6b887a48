package org.packetlab.endpoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.BurstRate;

/**
 * The sliding-window send limits of a session (spec/agents.md §C.13 burst rates): for every byte
 * rule {@code count/window}, the bytes sent in the last {@code window} ns plus the next packet
 * stay within {@code count}; for every packet rule, the packets sent in the window plus the next
 * one stay within {@code count}. A built-in rule of 12 500 000 bytes per 10 s (10 Mbit/s) always
 * applies, as in the reference. Confined to the session's event loop.
 *
 * <p>Sends are remembered in buckets of {@link #BUCKET_NANOS}, each expiring with its latest send,
 * so memory stays bounded whatever the send rate; the price is that a bucket may hold back the
 * next send up to one bucket longer than exact accounting would.
 */
final class SendRate {
    /** The reference's built-in limit: 10 Mbit/s over 10 s. */
    static final BurstRate BUILT_IN = new BurstRate(12_500_000, TimeUnit.SECONDS.toNanos(10));
    static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private record Rule(long count, long window, boolean packets) {}

    /** Sends of one bucket: when it started, the time of its latest send, its bytes and packets. */
    private static final class Bucket {
        long start;
        long time;
        long bytes;
        long packets;
    }

    private final List<Rule> rules;
    private final long longestWindow;
    private final ArrayDeque<Bucket> history = new ArrayDeque<>();

    SendRate(List<BurstRate> byteRules, List<BurstRate> packetRules) {
        List<Rule> r = new ArrayList<>();
        r.add(new Rule(BUILT_IN.count(), BUILT_IN.window(), false));
        byteRules.forEach(b -> r.add(new Rule(b.count(), b.window(), false)));
        packetRules.forEach(b -> r.add(new Rule(b.count(), b.window(), true)));
        this.rules = List.copyOf(r);
        this.longestWindow = rules.stream().mapToLong(Rule::window).reduce(0, SendRate::maxUnsigned);
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /** Whether no amount of waiting lets a packet of {@code bytes} go: larger than a byte rule's count, or a packet rule of 0. */
    boolean neverAllows(long bytes) {
        for (Rule r : rules) {
            if (r.packets ? r.count == 0 : Long.compareUnsigned(bytes, r.count) > 0) {
                return true;
            }
        }
        return false;
    }

    /** The earliest pktlab time, not before {@code now}, at which a packet of {@code bytes} may go. */
    long earliest(long now, long bytes) {
        forget(now);
        long at = now;
        for (Rule r : rules) {
            at = maxUnsigned(at, earliest(r, now, bytes));
        }
        return at;
    }

    private long earliest(Rule r, long now, long bytes) {
        long need = r.packets ? 1 : bytes;
        long used = 0;
        for (Bucket b : history) {
            if (inWindow(b, r, now)) {
                used += r.packets ? b.packets : b.bytes;
            }
        }
        if (Long.compareUnsigned(used + need, r.count) <= 0) {
            return now;
        }
        // wait until enough of the oldest sends in the window have left it
        for (Bucket b : history) {
            if (inWindow(b, r, now)) {
                used -= r.packets ? b.packets : b.bytes;
                if (Long.compareUnsigned(used + need, r.count) <= 0) {
                    return b.time + r.window + 1;
                }
            }
        }
        return now;
    }

    private static boolean inWindow(Bucket b, Rule r, long now) {
        return Long.compareUnsigned(now - b.time, r.window) < 0;
    }

    /** Counts a packet of {@code bytes} sent at {@code now}. */
    void sent(long now, long bytes) {
        Bucket last = history.peekLast();
        if (last == null || Long.compareUnsigned(now - last.start, BUCKET_NANOS) >= 0 || Long.compareUnsigned(now, last.time) < 0) {
            last = new Bucket();
            last.start = now;
            history.addLast(last);
        }
        last.time = maxUnsigned(last.time, now);
        last.bytes += bytes;
        last.packets++;
    }

    private void forget(long now) {
        for (Iterator<Bucket> it = history.iterator(); it.hasNext(); ) {
            Bucket b = it.next();
            if (Long.compareUnsigned(now - b.time, longestWindow) < 0) {
                return;
            }
            it.remove();
        }
    }
}
