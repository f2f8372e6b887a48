package org.packetlab.wire;

import java.util.Arrays;

/**
 * The response {@code mdata} (0x41): the bytes an {@code mread} asked for (spec/wire-protocol.md §5.5).
 *
 * <pre>
 *   | addr u32 (echo of the request) | data ... |
 * </pre>
 */
public record Mdata(long addr, byte[] data) implements Response {

    public Mdata {
        Check.u32(addr, "addr");
        data = Check.adopt(data);
        Check.body(4L + data.length, "mdata");
    }

    /** The answer to a read at {@code addr} (data copied). */
    public static Mdata of(long addr, byte[] data) {
        return new Mdata(addr, data);
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    byte[] dataUnsafe() {
        return data;
    }

    /** Number of data bytes. */
    public int length() {
        return data.length;
    }

    @Override
    public MessageType type() {
        return MessageType.MDATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mdata m && m.addr == addr && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(addr) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("Mdata[addr=0x%08x, data=%s]", addr, Check.hex(data));
    }
}
