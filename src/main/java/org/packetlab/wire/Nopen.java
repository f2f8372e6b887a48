package org.packetlab.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The request {@code nopen} (0x2A): open socket {@code sktid} (spec/wire-protocol.md §5.7).
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | rbufsz u32 | address part |
 *   raw:          laddr                            11 / 23 bytes (IPv4 / IPv6)
 *   UDP:          laddr lport                      13 / 25
 *   TCP listen:   laddr lport                      13 / 25   (aborts a 1.1.0 endpoint: never send)
 *   TCP connect:  laddr lport raddr rport          19 / 43
 * </pre>
 *
 * @param rbufsz receive buffer budget in bytes (0 delivers nothing)
 * @param laddr  local address bytes (4 or 16 by family; all zero = any)
 * @param lport  local port (0 = ephemeral; always 0 for raw)
 * @param raddr  remote address bytes for a TCP connect, empty otherwise
 * @param rport  remote port for a TCP connect, 0 otherwise
 */
public record Nopen(int sktid, Family family, Proto proto, long rbufsz, byte[] laddr, int lport, byte[] raddr, int rport)
        implements Request, SocketMessage {

    public Nopen {
        Check.u8(sktid, "sktid");
        Check.nonNull(family, "family");
        Check.nonNull(proto, "proto");
        Check.u32(rbufsz, "rbufsz");
        laddr = Check.copy(laddr);
        raddr = Check.copy(raddr);
        Check.u16(lport, "lport");
        Check.u16(rport, "rport");
        if (laddr.length != family.addressLength()) {
            throw new IllegalArgumentException("nopen laddr has " + laddr.length + " bytes, " + family + " needs " + family.addressLength());
        }
        if (proto == Proto.RAW && lport != 0) {
            throw new IllegalArgumentException("a raw nopen has no local port");
        }
        if (proto == Proto.TCP && raddr.length != 0) {
            if (raddr.length != family.addressLength()) {
                throw new IllegalArgumentException("nopen raddr has " + raddr.length + " bytes, " + family + " needs " + family.addressLength());
            }
        } else if (raddr.length != 0 || rport != 0) {
            throw new IllegalArgumentException("only a TCP connect nopen has a remote address");
        }
    }

    /** A TCP connect to {@code remote} from the wildcard address of its family, ephemeral port. */
    public static Nopen tcp(int sktid, InetSocketAddress remote, long rbufsz) {
        Family family = Family.of(Check.resolved(remote, "remote").getAddress());
        return tcp(sktid, new InetSocketAddress(Check.inet(new byte[family.addressLength()]), 0), remote, rbufsz);
    }

    /** A TCP connect from {@code local} to {@code remote} (same family). */
    public static Nopen tcp(int sktid, InetSocketAddress local, InetSocketAddress remote, long rbufsz) {
        Family family = Family.of(Check.resolved(remote, "remote").getAddress());
        Check.resolved(local, "local");
        return new Nopen(sktid, family, Proto.TCP, rbufsz, Check.address(local.getAddress(), family), local.getPort(),
                Check.address(remote.getAddress(), family), remote.getPort());
    }

    /** A UDP socket bound to {@code local} (the wildcard address and port 0 for "any"). */
    public static Nopen udp(int sktid, InetSocketAddress local, long rbufsz) {
        Family family = Family.of(Check.resolved(local, "local").getAddress());
        return new Nopen(sktid, family, Proto.UDP, rbufsz, Check.address(local.getAddress(), family), local.getPort(), null, 0);
    }

    /** A UDP socket of {@code family} on the wildcard address, ephemeral port. */
    public static Nopen udp(int sktid, Family family, long rbufsz) {
        return new Nopen(sktid, family, Proto.UDP, rbufsz, new byte[family.addressLength()], 0, null, 0);
    }

    /** A raw socket on {@code local} (all zero = the endpoint's first exported address of that family). */
    public static Nopen raw(int sktid, InetAddress local, long rbufsz) {
        Family family = Family.of(Objects.requireNonNull(local, "local"));
        return new Nopen(sktid, family, Proto.RAW, rbufsz, Check.address(local, family), 0, null, 0);
    }

    /** Whether this is a TCP connect (it has a remote address). */
    public boolean isConnect() {
        return raddr.length != 0;
    }

    /** Whether this is a TCP listen, which the 1.1.0 endpoint does not implement. */
    public boolean isListen() {
        return proto == Proto.TCP && raddr.length == 0;
    }

    /** The local address. */
    public InetAddress localAddress() {
        return Check.inet(laddr);
    }

    /** The local address and port. */
    public InetSocketAddress local() {
        return new InetSocketAddress(localAddress(), lport);
    }

    /** The remote address and port of a TCP connect. */
    public Optional<InetSocketAddress> remote() {
        return isConnect() ? Optional.of(new InetSocketAddress(Check.inet(raddr), rport)) : Optional.empty();
    }

    /** A copy of the local address bytes. */
    @Override
    public byte[] laddr() {
        return laddr.clone();
    }

    /** A copy of the remote address bytes (empty unless TCP connect). */
    @Override
    public byte[] raddr() {
        return raddr.clone();
    }

    byte[] laddrUnsafe() {
        return laddr;
    }

    byte[] raddrUnsafe() {
        return raddr;
    }

    @Override
    public MessageType type() {
        return MessageType.NOPEN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nopen n && n.sktid == sktid && n.family == family && n.proto == proto && n.rbufsz == rbufsz
                && Arrays.equals(n.laddr, laddr) && n.lport == lport && Arrays.equals(n.raddr, raddr) && n.rport == rport;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sktid, family, proto, rbufsz, Arrays.hashCode(laddr), lport, Arrays.hashCode(raddr), rport);
    }

    @Override
    public String toString() {
        return "Nopen[sktid=" + sktid + ", " + family + ", " + proto + ", rbufsz=" + rbufsz + ", local=" + Check.ip(laddr)
                + (proto == Proto.RAW ? "" : ":" + lport) + (isConnect() ? ", remote=" + Check.ip(raddr) + ":" + rport : "") + "]";
    }
}
