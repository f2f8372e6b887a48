package org.packetlab.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The notification {@code ndata} (0x62): data received on socket {@code sktid} at {@code time}
 * (spec/wire-protocol.md §5.14).
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | time u64 | [UDP: raddr (4/16) rport u16] | data ... |
 * </pre>
 *
 * @param family the family byte as sent; for UDP it is 4 or 6, for TCP/raw the decoder keeps any value
 * @param raddr  source address bytes of a UDP datagram, else empty
 * @param rport  source port of a UDP datagram, else 0
 * @param data   TCP: a chunk of the stream; UDP: one datagram; raw: a whole IP packet
 */
public record Ndata(int sktid, int family, Proto proto, long time, byte[] raddr, int rport, byte[] data)
        implements Notification, SocketMessage {

    /** Largest data per ndata the reference endpoint sends ({@code PKTLAB_NDATA_MAX}); not enforced on decode. */
    public static final int MAX_DATA = 0x10000;

    public Ndata {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.nonNull(proto, "proto");
        Check.u16(rport, "rport");
        raddr = Check.copy(raddr);
        data = Check.adopt(data);
        if (proto == Proto.UDP) {
            Family f = Family.of(family).orElseThrow(() -> new IllegalArgumentException("UDP ndata family must be 4 or 6, got " + family));
            if (raddr.length != f.addressLength()) {
                throw new IllegalArgumentException("ndata raddr has " + raddr.length + " bytes, " + f + " needs " + f.addressLength());
            }
        } else if (raddr.length != 0 || rport != 0) {
            throw new IllegalArgumentException("only a UDP ndata has a source");
        }
        Check.body(11L + (raddr.length == 0 ? 0 : raddr.length + 2) + data.length, "ndata");
    }

    /** A chunk of a TCP stream (copied). */
    public static Ndata tcp(int sktid, Family family, long time, byte[] data) {
        return new Ndata(sktid, family.code(), Proto.TCP, time, null, 0, data);
    }

    /**
     * A chunk of a TCP stream: the readable bytes of {@code data}, copied once (the buffer is left as
     * it was; its owner releases it). Endpoints send what a socket read without this copy
     * ({@link WireCodec#encodeTcpNdataInPlace}) and build the record only to hold it.
     */
    public static Ndata tcp(int sktid, Family family, long time, ByteBuf data) {
        byte[] bytes = new byte[data.readableBytes()];
        data.getBytes(data.readerIndex(), bytes);
        return Handoff.adopting(bytes, () -> new Ndata(sktid, family.code(), Proto.TCP, time, null, 0, bytes));
    }

    /** A UDP datagram (copied) from {@code source}. */
    public static Ndata udp(int sktid, long time, InetSocketAddress source, byte[] data) {
        Family family = Family.of(Check.resolved(source, "source").getAddress());
        return new Ndata(sktid, family.code(), Proto.UDP, time, Check.address(source.getAddress(), family), source.getPort(), data);
    }

    /** A captured IP packet (copied). */
    public static Ndata raw(int sktid, Family family, long time, byte[] packet) {
        return new Ndata(sktid, family.code(), Proto.RAW, time, null, 0, packet);
    }

    /** The source of a UDP datagram. */
    public Optional<InetSocketAddress> source() {
        return raddr.length == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(Check.inet(raddr), rport));
    }

    /** A copy of the source address bytes (empty unless UDP). */
    @Override
    public byte[] raddr() {
        return raddr.clone();
    }

    /** A copy of the data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of data bytes. */
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
        return MessageType.NDATA;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ndata n && n.sktid == sktid && n.family == family && n.proto == proto && n.time == time
                && Arrays.equals(n.raddr, raddr) && n.rport == rport && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sktid, family, proto, time, Arrays.hashCode(raddr), rport, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Ndata[sktid=" + sktid + ", family=" + family + ", " + proto + ", time=" + PktlabTime.toString(time)
                + (raddr.length == 0 ? "" : ", from=" + Check.ip(raddr) + ":" + rport) + ", data=" + Check.hex(data) + "]";
    }
}
