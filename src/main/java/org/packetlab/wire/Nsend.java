package org.packetlab.wire;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The request {@code nsend} (0x2C): queue data for sending on socket {@code sktid}
 * (spec/wire-protocol.md §5.9). A non-zero {@code tag} asks for an {@link Ntag} when the send completes.
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | time u64 | tag u16 | [UDP: raddr (4/16) rport u16] | data ... |
 * </pre>
 *
 * @param family the family byte as sent; for UDP it is 4 or 6, for TCP/raw the decoder keeps any value
 * @param time   earliest send time (pktlab time; 0 = now)
 * @param raddr  destination address bytes (UDP only, else empty)
 * @param rport  destination port (UDP only, else 0)
 * @param data   the payload (raw: a whole IP packet)
 */
public record Nsend(int sktid, int family, Proto proto, long time, int tag, byte[] raddr, int rport, byte[] data)
        implements Request, SocketMessage {

    /** Largest payload that fits any variant ({@code PKTLAB_NSEND_MAX}). */
    public static final int MAX_DATA = 0xFFFFFF - 31;

    public Nsend {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.nonNull(proto, "proto");
        Check.u16(tag, "tag");
        Check.u16(rport, "rport");
        raddr = Check.copy(raddr);
        data = Check.adopt(data);
        if (proto == Proto.UDP) {
            Family f = Family.of(family).orElseThrow(() -> new IllegalArgumentException("UDP nsend family must be 4 or 6, got " + family));
            if (raddr.length != f.addressLength()) {
                throw new IllegalArgumentException("nsend raddr has " + raddr.length + " bytes, " + f + " needs " + f.addressLength());
            }
        } else if (raddr.length != 0 || rport != 0) {
            throw new IllegalArgumentException("only a UDP nsend has a destination");
        }
        Check.body(13L + (raddr.length == 0 ? 0 : raddr.length + 2) + data.length, "nsend");
    }

    /** Sends {@code data} (copied) on a TCP socket of {@code family}. */
    public static Nsend tcp(int sktid, Family family, long time, int tag, byte[] data) {
        return new Nsend(sktid, family.code(), Proto.TCP, time, tag, null, 0, data);
    }

    /** Sends the datagram {@code data} (copied) to {@code destination} on a UDP socket. */
    public static Nsend udp(int sktid, long time, int tag, InetSocketAddress destination, byte[] data) {
        Family family = Family.of(Check.resolved(destination, "destination").getAddress());
        return new Nsend(sktid, family.code(), Proto.UDP, time, tag, Check.address(destination.getAddress(), family),
                destination.getPort(), data);
    }

    /** Sends the IP packet {@code packet} (copied) on a raw socket of {@code family}. */
    public static Nsend raw(int sktid, Family family, long time, int tag, byte[] packet) {
        return new Nsend(sktid, family.code(), Proto.RAW, time, tag, null, 0, packet);
    }

    /** The destination of a UDP send. */
    public Optional<InetSocketAddress> destination() {
        return raddr.length == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(Check.inet(raddr), rport));
    }

    /** A copy of the destination address bytes (empty unless UDP). */
    @Override
    public byte[] raddr() {
        return raddr.clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of payload bytes. */
    public int dataLength() {
        return data.length;
    }

    byte[] raddrUnsafe() {
        return raddr;
    }

    byte[] dataUnsafe() {
        return data;
    }

    @Override
    public MessageType type() {
        return MessageType.NSEND;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nsend n && n.sktid == sktid && n.family == family && n.proto == proto && n.time == time
                && n.tag == tag && Arrays.equals(n.raddr, raddr) && n.rport == rport && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sktid, family, proto, time, tag, Arrays.hashCode(raddr), rport, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Nsend[sktid=" + sktid + ", family=" + family + ", " + proto + ", time=" + PktlabTime.toString(time) + ", tag=" + tag
                + (raddr.length == 0 ? "" : ", to=" + Check.ip(raddr) + ":" + rport) + ", data=" + Check.hex(data) + "]";
    }
}
