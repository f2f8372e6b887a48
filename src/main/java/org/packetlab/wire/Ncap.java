package org.packetlab.wire;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The request {@code ncap} (0x2D): install a capture filter on a raw socket, active while packet
 * receive time &lt;= {@code endtime} (spec/wire-protocol.md §5.10, §11.5). Never send it for TCP/UDP
 * sockets: a 1.1.0 endpoint misbehaves.
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | endtime u64 | filter (encoded eBPF program, &gt;= 1 byte) |
 * </pre>
 *
 * @param family the family byte as sent (not checked by the decoder)
 * @param proto  the proto byte as sent (not checked by the decoder)
 * @param filter the encoded program bytes as sent (see {@link #program()})
 */
public record Ncap(int sktid, int family, int proto, long endtime, byte[] filter) implements Request, SocketMessage {

    public Ncap {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.u8(proto, "proto");
        filter = Check.adopt(filter);
        if (filter.length == 0) {
            throw new IllegalArgumentException("ncap needs a non-empty filter");
        }
        Check.body(11L + filter.length, "ncap");
    }

    /** A capture filter for raw socket {@code sktid}, active until {@code endtime} ({@link PktlabTime#MAX} = forever). */
    public static Ncap of(int sktid, Family family, long endtime, Program filter) {
        return new Ncap(sktid, family.code(), Proto.RAW.code(), endtime, filter.encode());
    }

    /** The filter, when its bytes are a valid encoded program. */
    public Optional<Program> program() {
        return Program.tryDecode(filter);
    }

    /** A copy of the encoded filter. */
    @Override
    public byte[] filter() {
        return filter.clone();
    }

    byte[] filterUnsafe() {
        return filter;
    }

    @Override
    public MessageType type() {
        return MessageType.NCAP;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ncap n && n.sktid == sktid && n.family == family && n.proto == proto && n.endtime == endtime
                && Arrays.equals(n.filter, filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sktid, family, proto, endtime, Arrays.hashCode(filter));
    }

    @Override
    public String toString() {
        return "Ncap[sktid=" + sktid + ", family=" + family + ", proto=" + proto + ", endtime=" + PktlabTime.toString(endtime)
                + ", filter=" + Check.hex(filter) + "]";
    }
}
