package org.packetlab.endpoint;

/** Big-endian stores and loads on byte arrays, and the overlay of a mapped field onto a read range. */
final class Bytes {
    private Bytes() {}

    static void putU16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static void putU32(byte[] b, int at, long v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
    }

    static void putU64(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    static long u32(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (b[at + i] & 0xFF);
        }
        return v;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    /**
     * Copies the part of {@code field} (mapped at {@code fieldAddr}) that falls inside the range
     * {@code out} covers (starting at {@code outAddr}). Addresses are unsigned 32-bit values in longs.
     */
    static void overlay(byte[] out, long outAddr, long fieldAddr, byte[] field) {
        long from = Math.max(outAddr, fieldAddr);
        long to = Math.min(outAddr + out.length, fieldAddr + field.length);
        if (from < to) {
            System.arraycopy(field, (int) (from - fieldAddr), out, (int) (from - outAddr), (int) (to - from));
        }
    }

    /** The reverse of {@link #overlay}: copies the bytes of {@code in} (at {@code inAddr}) that fall inside {@code field}. */
    static boolean underlay(byte[] field, long fieldAddr, byte[] in, long inAddr) {
        long from = Math.max(inAddr, fieldAddr);
        long to = Math.min(inAddr + in.length, fieldAddr + field.length);
        if (from >= to) {
            return false;
        }
        System.arraycopy(in, (int) (from - inAddr), field, (int) (from - fieldAddr), (int) (to - from));
        return true;
    }
}
