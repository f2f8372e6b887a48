package org.packetlab.wire;

/**
 * The endpoint's virtual memory map: the addresses and sizes that {@code mread}/{@code mwrite}
 * use (spec/wire-protocol.md §10). Values stored in vmem are big-endian unless noted.
 *
 * <pre>
 *   0x10000000  SYSPARAM   endpoint parameters (read-only)
 *   0x20000000  SKTINFO    256 blocks of 0x400 bytes, one per sktid
 *   0x30000000  NSENDTSTP  legacy send timestamps (zeros in 1.1.0)
 * </pre>
 */
public final class Vmem {
    private Vmem() {}

    /** Current packet segment (visible to monitors only). */
    public static final long CURPKT = 0x00000000L;
    public static final long CURPKT_SIZE = 0x1000011L;

    // SYSPARAM (§10.2)
    public static final long SYSPARAM = 0x10000000L;
    public static final long SYSPARAM_SIZE = 0x30400L;
    /** u8 number of exported IPv4 local addresses. */
    public static final long SYSPARAM_IP4NO = 0x10000000L;
    /** u8 number of exported IPv6 local addresses. */
    public static final long SYSPARAM_IP6NO = 0x10000001L;
    /** u32 bit set of supported transports: {@link #TRANSSUP_RAW}, {@link #TRANSSUP_TCP}, {@link #TRANSSUP_UDP}. */
    public static final long SYSPARAM_TRANSSUP = 0x10000002L;
    public static final int TRANSSUP_RAW = 0x1;
    public static final int TRANSSUP_TCP = 0x2;
    public static final int TRANSSUP_UDP = 0x4;
    /** u32 copy of {@link #SYSPARAM_BUFMAX}. */
    public static final long SYSPARAM_BUFMAXDUP = 0x10000006L;
    /** 256 entries of 8 bytes: IPv4 address then netmask. */
    public static final long SYSPARAM_IP4LS = 0x10000100L;
    public static final int IP4LS_ENTRY_SIZE = 8;
    /** 256 entries of 16 bytes: IPv6 address. */
    public static final long SYSPARAM_IP6LS = 0x10001000L;
    public static final int IP6LS_ENTRY_SIZE = 16;
    public static final int MAX_LOCAL_ADDRESSES = 256;
    /** u64 current endpoint pktlab time, sampled at read. */
    public static final long SYSPARAM_TIME = 0x10010000L;
    /** u32 global buffer budget in bytes. */
    public static final long SYSPARAM_BUFMAX = 0x10010010L;
    /** u32 global buffer in use. */
    public static final long SYSPARAM_BUFUSED = 0x10010014L;
    public static final long SYSPARAM_IP4DNSNO = 0x10020000L;
    public static final long SYSPARAM_IP6DNSNO = 0x10020001L;
    /** 16 IPv4 resolver addresses of 4 bytes. */
    public static final long SYSPARAM_IP4DNSLS = 0x10020010L;
    /** 16 IPv6 resolver addresses of 16 bytes. */
    public static final long SYSPARAM_IP6DNSLS = 0x10020100L;
    public static final int MAX_DNS_RESOLVERS = 16;
    /** 12 bytes, one per IPv4 header field: 0 never changed by the OS, 1 always rewritten, 2 filled when zero. */
    public static final long SYSPARAM_IP4HDRMOD = 0x10020200L;
    public static final int IP4HDRMOD_SIZE = 12;
    public static final long SYSPARAM_IP6HDRMOD = 0x10020210L;
    public static final int IP6HDRMOD_SIZE = 8;
    /** Host id, NUL-padded. */
    public static final long SYSPARAM_HOSTID = 0x10030000L;
    public static final int HOSTID_SIZE = 256;
    public static final long SYSPARAM_LATLONG = 0x10030100L;
    public static final int LATLONG_SIZE = 64;
    public static final long SYSPARAM_OSINFO = 0x10030200L;
    public static final int OSINFO_SIZE = 512;

    // SKTINFO (§10.3)
    public static final long SKTINFO = 0x20000000L;
    public static final int SKTINFO_BLOCK_SIZE = 0x400;
    public static final int MAX_SOCKETS = 256;
    public static final long SKTINFO_SIZE = (long) MAX_SOCKETS * SKTINFO_BLOCK_SIZE;
    /** Offsets within a socket's block. */
    public static final int SKT_FAMILY = 0x000;
    public static final int SKT_PROTO = 0x001;
    /** i8 {@link SocketState}. */
    public static final int SKT_STAT = 0x002;
    /** 16 bytes; IPv4 uses the first 4. */
    public static final int SKT_LADDR = 0x010;
    public static final int SKT_RADDR = 0x020;
    public static final int SKT_LPORT = 0x030;
    public static final int SKT_RPORT = 0x032;
    /** u32, writable. */
    public static final int SKT_RBUFSZ = 0x040;
    public static final int SKT_RBUFUSED = 0x044;
    /** u32 dropped bytes (first), then u32 dropped packets. */
    public static final int SKT_DROPSTAT_BYTES = 0x050;
    public static final int SKT_DROPSTAT_PACKETS = 0x054;
    /** i8 {@link NsendError}, writable. */
    public static final int SKT_NSENDERR = 0x060;
    /** u16 tag of the failed nsend, writable. */
    public static final int SKT_NSENDERRTAG = 0x061;
    /** u16 {@link NotificationMask} bits, writable. */
    public static final int SKT_NOTIFMASK = 0x070;
    /** 128 control-flag bytes, stored but not interpreted, writable. */
    public static final int SKT_CTFL = 0x100;
    public static final int SKT_CTFL_SIZE = 0x80;

    // NSENDTSTP, MONSCRATCH, MONPERSIST (§10.1)
    public static final long NSENDTSTP = 0x30000000L;
    public static final long NSENDTSTP_SIZE = 0x80000L;
    public static final long MONSCRATCH = 0x40000000L;
    public static final long MONPERSIST = 0x50000000L;
    public static final long MONSEGMENT_SIZE = 0x10000000L;

    /** The first vmem address of socket {@code sktid}'s SKTINFO block. */
    public static long sktinfo(int sktid) {
        if (sktid < 0 || sktid >= MAX_SOCKETS) {
            throw new IllegalArgumentException("sktid " + sktid + " is not in 0..255");
        }
        return SKTINFO + (long) sktid * SKTINFO_BLOCK_SIZE;
    }

    /** The vmem address of field {@code offset} (an {@code SKT_*} constant) of socket {@code sktid}. */
    public static long sktinfo(int sktid, int offset) {
        if (offset < 0 || offset >= SKTINFO_BLOCK_SIZE) {
            throw new IllegalArgumentException("offset " + offset + " is outside a SKTINFO block");
        }
        return sktinfo(sktid) + offset;
    }
}
