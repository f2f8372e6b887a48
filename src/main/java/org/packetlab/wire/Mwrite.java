package org.packetlab.wire;

import java.util.Arrays;

/**
 * The request {@code mwrite} (0x29): write {@code data} to endpoint vmem at {@code addr}
 * (spec/wire-protocol.md §5.6, §10). Answered by {@link Result}.
 *
 * <pre>
 *   | addr u32 | data ... |      addr + data length &lt;= 0xffffffff
 * </pre>
 */
public record Mwrite(long addr, byte[] data) implements Request {

    public Mwrite {
        Check.u32(addr, "addr");
        data = Check.adopt(data);
        Check.body(4L + data.length, "mwrite");
        if (addr > 0xFFFFFFFFL - data.length) {
            throw new IllegalArgumentException(String.format("mwrite range 0x%x+%d passes 0xffffffff", addr, data.length));
        }
    }

    /** A write of {@code data} (copied) at {@code addr}. */
    public static Mwrite of(long addr, byte[] data) {
        return new Mwrite(addr, data);
    }

    /** Sets the notification mask of socket {@code sktid} ({@link NotificationMask} bits; spec §8.8). */
    public static Mwrite notificationMask(int sktid, int mask) {
        Check.u16(mask, "mask");
        return new Mwrite(Vmem.sktinfo(sktid, Vmem.SKT_NOTIFMASK), new byte[] {(byte) (mask >> 8), (byte) mask});
    }

    /** Sets the receive buffer budget of socket {@code sktid} (spec §10.3). */
    public static Mwrite rbufsz(int sktid, long rbufsz) {
        Check.u32(rbufsz, "rbufsz");
        return new Mwrite(Vmem.sktinfo(sktid, Vmem.SKT_RBUFSZ),
                new byte[] {(byte) (rbufsz >> 24), (byte) (rbufsz >> 16), (byte) (rbufsz >> 8), (byte) rbufsz});
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
        return MessageType.MWRITE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mwrite m && m.addr == addr && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(addr) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return String.format("Mwrite[addr=0x%08x, data=%s]", addr, Check.hex(data));
    }
}
