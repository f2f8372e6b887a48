package org.packetlab.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Invariant checks and small conversions shared by the message records. */
final class Check {
    private Check() {}

    /** Largest body the 24-bit length field can describe. */
    static final int MAX_BODY = 0xFFFFFF;
    private static final byte[] EMPTY = new byte[0];

    static int u8(int v, String what) {
        if (v < 0 || v > 0xFF) {
            throw new IllegalArgumentException(what + " " + v + " is not in 0..255");
        }
        return v;
    }

    static int u16(int v, String what) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + v + " is not in 0..65535");
        }
        return v;
    }

    static long u32(long v, String what) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException(what + " " + v + " is not in 0..0xffffffff");
        }
        return v;
    }

    static void body(long length, String type) {
        if (length > MAX_BODY) {
            throw new IllegalArgumentException(type + " body of " + length + " bytes exceeds the 24-bit limit " + MAX_BODY);
        }
    }

    static <T> T nonNull(T v, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return v;
    }

    /** A private copy; null reads as empty. */
    static byte[] copy(byte[] b) {
        return b == null || b.length == 0 ? EMPTY : b.clone();
    }

    /** The array itself when the codec just handed it over, else a private copy; null reads as empty. */
    static byte[] adopt(byte[] b) {
        return b == null || b.length == 0 ? EMPTY : Handoff.adopt(b);
    }

    static byte[] address(InetAddress a, Family family) {
        byte[] b = nonNull(a, "address").getAddress();
        if (family == Family.IPV6 && b.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        }
        if (b.length != family.addressLength()) {
            throw new IllegalArgumentException("address " + a.getHostAddress() + " is not " + family);
        }
        return b;
    }

    static InetSocketAddress resolved(InetSocketAddress s, String what) {
        if (nonNull(s, what).isUnresolved()) {
            throw new IllegalArgumentException(what + " " + s + " is unresolved");
        }
        return s;
    }

    static InetAddress inet(byte[] b) {
        try {
            // an IPv4-mapped IPv6 address must stay IPv6, which getByAddress(byte[]) would not keep
            return b.length == 16 ? Inet6Address.getByAddress(null, b, null) : Inet4Address.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + b.length + " bytes", e);
        }
    }

    static String ip(byte[] b) {
        return b.length == 0 ? "(none)" : inet(b).getHostAddress();
    }

    /** Hex of at most 64 bytes, with the total length when longer (for toString). */
    static String hex(byte[] b) {
        if (b.length <= 64) {
            return HexFormat.of().formatHex(b);
        }
        return HexFormat.of().formatHex(b, 0, 64) + "...(" + b.length + " bytes)";
    }
}
