package org.packetlab.wire;

/**
 * The request {@code mread} (0x28): read {@code len} bytes of endpoint vmem at {@code addr}
 * (spec/wire-protocol.md §5.5, §10). Answered by {@link Mdata}.
 *
 * <pre>
 *   | addr u32 | len u16 |      len 1..65535, addr + len &lt;= 0xffffffff
 * </pre>
 */
public record Mread(long addr, int len) implements Request {

    public Mread {
        Check.u32(addr, "addr");
        if (len < 1 || len > 0xFFFF) {
            throw new IllegalArgumentException("mread len " + len + " is not in 1..65535");
        }
        if (addr > 0xFFFFFFFFL - len) {
            throw new IllegalArgumentException(String.format("mread range 0x%x+%d passes 0xffffffff", addr, len));
        }
    }

    /** A read of {@code len} bytes at {@code addr} (see {@link Vmem}). */
    public static Mread of(long addr, int len) {
        return new Mread(addr, len);
    }

    @Override
    public MessageType type() {
        return MessageType.MREAD;
    }

    @Override
    public String toString() {
        return String.format("Mread[addr=0x%08x, len=%d]", addr, len);
    }
}
