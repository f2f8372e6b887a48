package org.packetlab.wire;

import java.util.function.Supplier;

/**
 * Lets the decoder hand a freshly filled array to a record constructor without the defensive copy,
 * so bulk payloads (ndata, nsend, mdata) are copied once on the way in. A constructor adopts an
 * array only if it is the very one handed over on this thread for this construction.
 */
final class Handoff {
    private Handoff() {}

    private static final ThreadLocal<byte[]> GIVEN = new ThreadLocal<>();

    /** Builds a message that may adopt {@code fresh} (owned by the caller and never shared) without copying it. */
    static <T> T adopting(byte[] fresh, Supplier<T> construct) {
        GIVEN.set(fresh);
        try {
            return construct.get();
        } finally {
            GIVEN.remove();
        }
    }

    static byte[] adopt(byte[] b) {
        if (GIVEN.get() == b) {
            GIVEN.remove();
            return b;
        }
        return b.clone();
    }
}
