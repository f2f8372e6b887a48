package org.packetlab.wire;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A message that did not decode: an unknown type code ({@code malformed = false}) or a known type
 * whose body breaks that type's rules ({@code malformed = true}) (spec/wire-protocol.md §3.3).
 * It keeps the whole message, header included, and is re-encoded verbatim. The session, not the
 * codec, decides the answer (§3.5: ECTLBADMSG and close, or ECTLNOTSUP and carry on).
 *
 * @param bytes     the whole message: 4-byte header and body
 * @param malformed true for a known type with a bad body
 * @param reason    why it did not decode, for logs
 */
public record Raw(byte[] bytes, boolean malformed, String reason) implements Message {

    public Raw {
        bytes = Check.adopt(bytes);
        Check.nonNull(reason, "reason");
        if (bytes.length < 4) {
            throw new IllegalArgumentException("a raw message holds at least its 4-byte header");
        }
        int len = (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
        if (len != bytes.length - 4) {
            throw new IllegalArgumentException("raw header length " + len + " does not match its " + (bytes.length - 4) + "-byte body");
        }
    }

    /** An undecodable message of an unknown type (bytes copied, header included). */
    public static Raw unknown(byte[] bytes) {
        return new Raw(bytes, false, "unknown type " + String.format("0x%02x", bytes.length == 0 ? 0 : bytes[0] & 0xFF));
    }

    /** A known type with a malformed body (bytes copied, header included). */
    public static Raw malformed(byte[] bytes, String reason) {
        return new Raw(bytes, true, reason);
    }

    /** Always {@link MessageType#RAW}; see {@link #typeCode()} for the wire byte. */
    @Override
    public MessageType type() {
        return MessageType.RAW;
    }

    /** The type byte of the header. */
    public int typeCode() {
        return bytes[0] & 0xFF;
    }

    /** The message type of the header byte, when it names one (a malformed known type). */
    public Optional<MessageType> knownType() {
        return MessageType.of(typeCode());
    }

    /** Length of the body (without the header). */
    public int bodyLength() {
        return bytes.length - 4;
    }

    /** A copy of the whole message, header included. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A copy of the body. */
    public byte[] body() {
        return Arrays.copyOfRange(bytes, 4, bytes.length);
    }

    byte[] bytesUnsafe() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Raw r && r.malformed == malformed && r.reason.equals(reason) && Arrays.equals(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(malformed, reason, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "Raw[type=" + String.format("0x%02x", typeCode()) + (malformed ? ", malformed: " : ", ") + reason
                + ", bytes=" + Check.hex(bytes) + "]";
    }
}
