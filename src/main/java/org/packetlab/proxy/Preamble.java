package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The raw 6-byte preamble {@code PKTLAB} that each side of a backlog connection sends once its TLS
 * session is over (spec/agents.md §A.7.2), and the reference manager's way of finding it.
 */
final class Preamble {
    /** {@code 'P' 'K' 'T' 'L' 'A' 'B'}. */
    static final byte[] BYTES = {0x50, 0x4B, 0x54, 0x4C, 0x41, 0x42};
    static final int LENGTH = BYTES.length;

    private Preamble() {}

    /** A fresh buffer holding the preamble (the write releases it). */
    static ByteBuf buffer() {
        return Unpooled.wrappedBuffer(BYTES.clone());
    }

    /**
     * Finds the preamble in a raw stream as the reference manager does: bytes before it are
     * discarded, and on a mismatch the match restarts from zero <em>without testing the
     * mismatching byte again</em> [quirk], so {@code PPKTLAB} is never recognised. Stateful: one per
     * connection.
     */
    static final class Matcher {
        private int matched;

        /**
         * Reads from {@code in} until the preamble is complete (true: the reader index is just past
         * it, later bytes are left unread) or {@code in} is exhausted (false).
         */
        boolean scan(ByteBuf in) {
            while (in.isReadable()) {
                if (in.readByte() == BYTES[matched]) {
                    if (++matched == LENGTH) {
                        return true;
                    }
                } else {
                    matched = 0;
                }
            }
            return false;
        }
    }
}
