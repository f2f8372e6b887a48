package org.packetlab.wire;

import java.util.Optional;

/** A transport protocol of a PacketLab socket with its wire value (spec/wire-protocol.md §7). */
public enum Proto {
    /** Raw IP: the endpoint sends and captures whole IP packets. */
    RAW(0x00),
    TCP(0x06),
    UDP(0x11);

    private final int code;

    Proto(int code) {
        this.code = code;
    }

    /** The proto byte on the wire. */
    public int code() {
        return code;
    }

    /** The protocol for a wire value; empty for any other value. */
    public static Optional<Proto> of(int code) {
        return switch (code) {
            case 0x00 -> Optional.of(RAW);
            case 0x06 -> Optional.of(TCP);
            case 0x11 -> Optional.of(UDP);
            default -> Optional.empty();
        };
    }
}
