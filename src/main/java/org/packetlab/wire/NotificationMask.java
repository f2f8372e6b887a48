package org.packetlab.wire;

/**
 * A bit of a socket's 16-bit notification mask at SKTINFO offset 0x70 (spec/wire-protocol.md §8.8).
 * A set bit suppresses (queues) that notification type; clearing it flushes the queue.
 */
public enum NotificationMask {
    NTAG(0x0002),
    NSTAT(0x0004),
    NDATA(0x0008),
    NDROP(0x0010),
    /** Queued when set but never flushed by the 1.1.0 endpoint when cleared (reference bug). */
    NBLOCK(0x0020);

    private final int bit;

    NotificationMask(int bit) {
        this.bit = bit;
    }

    /** The bit value in the mask. */
    public int bit() {
        return bit;
    }

    /** Whether this bit is set in {@code mask}. */
    public boolean isSetIn(int mask) {
        return (mask & bit) != 0;
    }

    /** The mask with exactly the given bits set. */
    public static int of(NotificationMask... bits) {
        int mask = 0;
        for (NotificationMask b : bits) {
            mask |= b.bit;
        }
        return mask;
    }
}
