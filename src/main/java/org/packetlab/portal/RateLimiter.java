package org.packetlab.portal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code perMinute} requests at once, refilled at {@code perMinute} a
 * minute. Shared by every connection of a portal, so guessing an invitation code is as slow for
 * many connections as for one. Thread-safe.
 */
final class RateLimiter {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    RateLimiter(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.tokens = perMinute;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token; when there is none, returns the whole seconds until there will be one (else 0). */
    synchronized long acquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perMinute, tokens + (double) (now - last) * perMinute / MINUTE);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        double missing = 1 - tokens;
        return Math.max(1, (long) Math.ceil(missing * MINUTE / perMinute / 1e9));
    }
}
