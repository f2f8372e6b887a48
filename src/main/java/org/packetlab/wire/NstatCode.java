package org.packetlab.wire;

import java.util.Optional;

/** The event code of an {@code nstat} notification (spec/wire-protocol.md §8.3). */
public enum NstatCode {
    /** TCP connection established; always carried by the 17/29-byte form with the remote address. */
    ESTABLISHED(0x00),
    RESET(0x01),
    TIMEOUT(0x02),
    PEERCLOSED(0x03),
    UNKNOWN(0xFF);

    private final int code;

    NstatCode(int code) {
        this.code = code;
    }

    /** The code byte on the wire. */
    public int code() {
        return code;
    }

    /** The code for a wire value; empty for undefined values. */
    public static Optional<NstatCode> of(int code) {
        for (NstatCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
