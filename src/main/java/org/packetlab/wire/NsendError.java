package org.packetlab.wire;

import java.util.Optional;

/**
 * The last send error of a TCP/UDP socket, a signed byte at SKTINFO offset 0x60
 * (spec/wire-protocol.md §8.4). Raw sockets store a raw-layer error number there instead.
 */
public enum NsendError {
    SUCCESS(0),
    NORES(1),
    BADPKT(2),
    TIMEDOUT(3),
    RESET(4),
    UNREACH(5),
    /** Queued sends discarded by a FIN. */
    WFIN(6),
    UNKFAULT(127);

    private final int code;

    NsendError(int code) {
        this.code = code;
    }

    /** The value stored in vmem. */
    public int code() {
        return code;
    }

    /** The error for a vmem value; empty for undefined values. */
    public static Optional<NsendError> of(int code) {
        for (NsendError e : values()) {
            if (e.code == code) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
