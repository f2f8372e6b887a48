package org.packetlab.proxy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place in a capped count of connections in some phase (registering, waiting for a
 * ClientHello). Released once, by whichever comes first: the phase ending or the connection closing.
 */
final class PendingSlot {
    private final AtomicInteger count;
    private final AtomicBoolean held = new AtomicBoolean(true);

    private PendingSlot(AtomicInteger count) {
        this.count = count;
    }

    /** A slot, or null when {@code max} connections already hold one. */
    static PendingSlot acquire(AtomicInteger count, int max) {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return null;
        }
        return new PendingSlot(count);
    }

    void release() {
        if (held.compareAndSet(true, false)) {
            count.decrementAndGet();
        }
    }
}
