package org.packetlab.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The setup request {@code cdata} (0x20): upload a program before {@code start}
 * (spec/wire-protocol.md §5.2, §11.3).
 *
 * <pre>
 *   | hintlen u8 | hint (hintlen bytes) | data (an encoded program, may be empty) |
 * </pre>
 *
 * @param hint the hint as sent, one char per byte (ISO-8859-1); the endpoint understands "monitor" and "filter"
 * @param data the encoded program bytes as sent (not validated by the decoder; see {@link #program()})
 */
public record Cdata(String hint, byte[] data) implements Request {

    public static final String MONITOR = "monitor";
    public static final String FILTER = "filter";

    public Cdata {
        Check.nonNull(hint, "hint");
        if (hint.length() > 0xFF || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(hint)) {
            throw new IllegalArgumentException("cdata hint must be at most 255 ISO-8859-1 characters");
        }
        data = Check.adopt(data);
        Check.body(1L + hint.length() + data.length, "cdata");
    }

    /** Uploads a monitor program. */
    public static Cdata monitor(Program program) {
        return new Cdata(MONITOR, program.encode());
    }

    /** Uploads a filter program (1.1.0 endpoints refuse it with ECRTBADHDAT). */
    public static Cdata filter(Program program) {
        return new Cdata(FILTER, program.encode());
    }

    /** The program, when the data is a valid encoded program. */
    public Optional<Program> program() {
        return Program.tryDecode(data);
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    byte[] dataUnsafe() {
        return data;
    }

    @Override
    public MessageType type() {
        return MessageType.CDATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cdata c && c.hint.equals(hint) && Arrays.equals(c.data, data);
    }

    @Override
    public int hashCode() {
        return hint.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Cdata[hint=" + hint + ", data=" + Check.hex(data) + "]";
    }
}
