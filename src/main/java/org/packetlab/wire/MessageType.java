package org.packetlab.wire;

import java.util.Optional;

/** A PacketLab message type code with its wire value (spec/wire-protocol.md §4). */
public enum MessageType {
    /** The reference's internal marker for undecodable messages; never sent as such (a {@link Raw} carries its own code). */
    RAW(0x00),
    CDATA(0x20),
    START(0x21),
    END(0x22),
    YIELD(0x23),
    CONT(0x24),
    MREAD(0x28),
    MWRITE(0x29),
    NOPEN(0x2A),
    NCLOSE(0x2B),
    NSEND(0x2C),
    NCAP(0x2D),
    NCTL(0x2E),
    XCERT(0x30),
    XPUB(0x31),
    XSUB(0x38),
    RESULT(0x40),
    MDATA(0x41),
    NTAG(0x60),
    NSTAT(0x61),
    NDATA(0x62),
    NDROP(0x63),
    NBLOCK(0x64),
    LINFO(0x65),
    SUSPD(0x68),
    RESUMD(0x69),
    XNOTIFY(0x70),
    XREG(0x80);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            if (t != RAW) {
                BY_CODE[t.code] = t;
            }
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The lower-case name the reference uses ({@code nopen}, {@code result}, ...). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The message type with wire code {@code code}; empty for codes 1.1.0 does not define (including 0x00). */
    public static Optional<MessageType> of(int code) {
        return code < 0 || code > 0xFF ? Optional.empty() : Optional.ofNullable(BY_CODE[code]);
    }

    /** The reference's name for a code, or {@code "undefined"} for codes without a message. */
    public static String nameOf(int code) {
        return of(code).map(MessageType::wireName).orElse("undefined");
    }
}
