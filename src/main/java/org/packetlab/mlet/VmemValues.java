package org.packetlab.mlet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.packetlab.wire.Family;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Vmem;

/** Decoders for the values the endpoint exports in vmem (spec/wire-protocol.md §10.2, §10.3). */
final class VmemValues {
    private VmemValues() {}

    /** Bytes of a SKTINFO block up to and including NOTIFMASK. */
    static final int SOCKET_INFO_LENGTH = Vmem.SKT_NOTIFMASK + 2;

    /** The host id: the bytes before the first NUL. */
    static String hostId(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** An unsigned big-endian integer of up to 8 bytes. */
    static long unsigned(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = v << 8 | (b & 0xFF);
        }
        return v;
    }

    /** {@code count} IPv4 entries of IP4LS (address, netmask). */
    static List<LocalAddress> ipv4Locals(byte[] table, int count) {
        List<LocalAddress> out = new ArrayList<>(count);
        ByteBuffer b = ByteBuffer.wrap(table);
        for (int i = 0; i < count; i++) {
            byte[] addr = new byte[4];
            b.get(addr);
            int mask = b.getInt();
            // the leading one bits; a non-contiguous mask (never produced from a /len config) counts up to its first zero
            out.add(new LocalAddress(inet(addr), OptionalInt.of(Integer.numberOfLeadingZeros(~mask))));
        }
        return out;
    }

    /** {@code count} IPv6 entries of IP6LS (address only). */
    static List<LocalAddress> ipv6Locals(byte[] table, int count) {
        List<LocalAddress> out = new ArrayList<>(count);
        for (InetAddress a : addresses(table, count, 16)) {
            out.add(new LocalAddress(a, OptionalInt.empty()));
        }
        return out;
    }

    /** {@code count} addresses of {@code size} bytes each. */
    static List<InetAddress> addresses(byte[] table, int count, int size) {
        List<InetAddress> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(inet(Arrays.copyOfRange(table, i * size, (i + 1) * size)));
        }
        return out;
    }

    /** A SKTINFO block (at least {@link #SOCKET_INFO_LENGTH} bytes) of socket {@code sktid}. */
    static SocketInfo socketInfo(int sktid, byte[] block) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(block);
        int familyCode = b.get(Vmem.SKT_FAMILY) & 0xFF;
        int protoCode = b.get(Vmem.SKT_PROTO) & 0xFF;
        int stateCode = b.get(Vmem.SKT_STAT);
        SocketState state = SocketState.of(stateCode)
                .orElseThrow(() -> new IOException("the endpoint reports an undefined state " + stateCode + " for sktid " + sktid));
        Family family = null;
        Proto proto = null;
        InetSocketAddress local = null;
        InetSocketAddress remote = null;
        if (state != SocketState.FREE) {
            family = Family.of(familyCode).orElseThrow(
                    () -> new IOException("the endpoint reports an undefined family " + familyCode + " for sktid " + sktid));
            proto = Proto.of(protoCode).orElseThrow(
                    () -> new IOException("the endpoint reports an undefined protocol " + protoCode + " for sktid " + sktid));
            int alen = family.addressLength();
            local = new InetSocketAddress(inet(Arrays.copyOfRange(block, Vmem.SKT_LADDR, Vmem.SKT_LADDR + alen)),
                    b.getShort(Vmem.SKT_LPORT) & 0xFFFF);
            byte[] raddr = Arrays.copyOfRange(block, Vmem.SKT_RADDR, Vmem.SKT_RADDR + alen);
            int rport = b.getShort(Vmem.SKT_RPORT) & 0xFFFF;
            if (rport != 0 || !allZero(raddr)) {
                remote = new InetSocketAddress(inet(raddr), rport);
            }
        }
        return new SocketInfo(sktid, state, family, proto, local, remote,
                Integer.toUnsignedLong(b.getInt(Vmem.SKT_RBUFSZ)), Integer.toUnsignedLong(b.getInt(Vmem.SKT_RBUFUSED)),
                Integer.toUnsignedLong(b.getInt(Vmem.SKT_DROPSTAT_BYTES)), Integer.toUnsignedLong(b.getInt(Vmem.SKT_DROPSTAT_PACKETS)),
                b.get(Vmem.SKT_NSENDERR), b.getShort(Vmem.SKT_NSENDERRTAG) & 0xFFFF, b.getShort(Vmem.SKT_NOTIFMASK) & 0xFFFF);
    }

    private static boolean allZero(byte[] bytes) {
        for (byte x : bytes) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static InetAddress inet(byte[] addr) {
        try {
            return InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + addr.length, e);
        }
    }
}
