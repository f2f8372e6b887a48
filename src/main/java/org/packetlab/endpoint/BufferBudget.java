package org.packetlab.endpoint;

/**
 * The session's BufMax account: bytes held for queued {@code nsend}s and for {@code ndata} not yet
 * written to the controller, each item charged its payload plus {@link #OVERHEAD}
 * (spec/agents.md §C.9). Confined to the session's event loop.
 */
final class BufferBudget {
    /** Fixed charge per held item; the spec leaves the constant to the implementation. */
    static final int OVERHEAD = 64;

    private final long max;
    private long used;

    BufferBudget(long max) {
        this.max = max;
    }

    /** Charges {@code payload} bytes plus the overhead, or returns false (charging nothing) when BufMax would be exceeded. */
    boolean reserve(long payload) {
        long cost = payload + OVERHEAD;
        if (used + cost > max) {
            return false;
        }
        used += cost;
        return true;
    }

    /** Charges received data that was already admitted by {@link #room()}. */
    void charge(long payload) {
        used += payload + OVERHEAD;
    }

    /** Gives back what {@link #reserve} or {@link #charge} took for {@code payload} bytes. */
    void release(long payload) {
        used -= payload + OVERHEAD;
    }

    /** Payload bytes one more item may still hold (0 or less: none). */
    long room() {
        return max - used - OVERHEAD;
    }

    long max() {
        return max;
    }

    long used() {
        return used;
    }
}
