package org.packetlab.endpoint;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.packetlab.wire.Vmem;

/**
 * What an endpoint exports in the SYSPARAM segment of vmem, except the fields read live (TIME,
 * BUFUSED): local and DNS addresses, supported transports, BufMax, the raw-header table and the
 * host id (spec/wire-protocol.md §10.2). Built once per {@link Endpoint} and shared by its sessions;
 * it keeps only the populated fields, so an endpoint costs a few hundred bytes, not the 0x30400 of
 * the segment.
 */
final class SysParams {

    /** IPv4 header handling of Linux raw sockets, as the reference exports it (§10.2 IP4HDRMOD). */
    private static final byte[] IP4HDRMOD = {0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 2, 0};

    /** A mapped field: its address and bytes. */
    record Field(long addr, byte[] bytes) {}

    private final List<LocalAddress> ipv4;
    private final List<LocalAddress> ipv6;
    private final int transports;
    private final long bufMax;
    private final List<Field> fields;

    SysParams(List<LocalAddress> local, List<InetAddress> dns, int transports, long bufMax, String hostId) {
        if (bufMax < 0 || bufMax > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("BufMax " + bufMax + " is not in 0..0xffffffff");
        }
        this.ipv4 = local.stream().filter(LocalAddress::isIpv4).limit(Vmem.MAX_LOCAL_ADDRESSES).toList();
        this.ipv6 = local.stream().filter(a -> !a.isIpv4()).limit(Vmem.MAX_LOCAL_ADDRESSES).toList();
        List<InetAddress> dns4 = dns.stream().filter(a -> a instanceof Inet4Address).limit(Vmem.MAX_DNS_RESOLVERS).toList();
        List<InetAddress> dns6 = dns.stream().filter(a -> !(a instanceof Inet4Address)).limit(Vmem.MAX_DNS_RESOLVERS).toList();
        this.transports = transports;
        this.bufMax = bufMax;
        byte[] hostIdBytes = hostId.getBytes(StandardCharsets.ISO_8859_1);
        if (hostIdBytes.length > Vmem.HOSTID_SIZE - 1) {
            throw new IllegalArgumentException("host id has " + hostIdBytes.length + " characters, at most 255 fit");
        }

        List<Field> f = new ArrayList<>();
        byte[] head = new byte[10];
        head[0] = (byte) ipv4.size();
        head[1] = (byte) ipv6.size();
        Bytes.putU32(head, 2, transports);
        Bytes.putU32(head, 6, bufMax);
        f.add(new Field(Vmem.SYSPARAM_IP4NO, head));
        byte[] ip4ls = new byte[ipv4.size() * Vmem.IP4LS_ENTRY_SIZE];
        for (int i = 0; i < ipv4.size(); i++) {
            System.arraycopy(ipv4.get(i).address().getAddress(), 0, ip4ls, i * 8, 4);
            System.arraycopy(ipv4.get(i).netmask(), 0, ip4ls, i * 8 + 4, 4);
        }
        f.add(new Field(Vmem.SYSPARAM_IP4LS, ip4ls));
        f.add(new Field(Vmem.SYSPARAM_IP6LS, concat(ipv6.stream().map(LocalAddress::address).toList(), 16)));
        byte[] max = new byte[4];
        Bytes.putU32(max, 0, bufMax);
        f.add(new Field(Vmem.SYSPARAM_BUFMAX, max));
        f.add(new Field(Vmem.SYSPARAM_IP4DNSNO, new byte[] {(byte) dns4.size(), (byte) dns6.size()}));
        f.add(new Field(Vmem.SYSPARAM_IP4DNSLS, concat(dns4, 4)));
        f.add(new Field(Vmem.SYSPARAM_IP6DNSLS, concat(dns6, 16)));
        f.add(new Field(Vmem.SYSPARAM_IP4HDRMOD, IP4HDRMOD.clone()));
        f.add(new Field(Vmem.SYSPARAM_HOSTID, hostIdBytes));
        this.fields = List.copyOf(f);
    }

    private static byte[] concat(List<InetAddress> addresses, int size) {
        byte[] out = new byte[addresses.size() * size];
        for (int i = 0; i < addresses.size(); i++) {
            System.arraycopy(addresses.get(i).getAddress(), 0, out, i * size, size);
        }
        return out;
    }

    /** The static fields, each in its place; everything else of the segment reads as zero. */
    List<Field> fields() {
        return fields;
    }

    /** Whether sockets of this family may be opened: at least one local address of it is exported (§C.8). */
    boolean supportsIpv4() {
        return !ipv4.isEmpty();
    }

    boolean supportsIpv6() {
        return !ipv6.isEmpty();
    }

    /** The TRANSSUP bit set. */
    int transports() {
        return transports;
    }

    long bufMax() {
        return bufMax;
    }
}
