package org.packetlab.wire;

import java.util.Optional;

/** The state of an endpoint socket, a signed byte at SKTINFO offset 0x02 (spec/wire-protocol.md §8.2). */
public enum SocketState {
    FREE(0),
    OPENING(1),
    OPEN(2),
    /** The TCP peer closed its write side; sending still works. */
    EOF(3),
    /** Our write side is shut down (FIN sent); receiving still works. */
    WFIN(4),
    END(5),
    REFUSED(-1),
    RESET(-2),
    TIMEDOUT(-3),
    UNREACH(-4),
    UNKFAULT(-128);

    private final int code;

    SocketState(int code) {
        this.code = code;
    }

    /** The signed value stored in vmem. */
    public int code() {
        return code;
    }

    /** Whether this is one of the error states (negative values). */
    public boolean isError() {
        return code < 0;
    }

    /** The state for a vmem byte (read as signed or unsigned); empty for undefined values. */
    public static Optional<SocketState> of(int code) {
        int signed = (byte) code;
        for (SocketState s : values()) {
            if (s.code == signed) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
