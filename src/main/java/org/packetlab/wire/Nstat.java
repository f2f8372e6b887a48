package org.packetlab.wire;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The notification {@code nstat} (0x61): a socket's status changed (spec/wire-protocol.md §5.13).
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | time u64 | code u8 |                    generic, 12 bytes
 *   | sktid u8 | family u8 | proto u8 | time u64 | raddr (4/16) | rport u16 |  TCP established, 17 / 29 bytes
 * </pre>
 *
 * The form is kept as received: a message with a remote address is the established form (code 0);
 * one without is the generic form, even with code 0.
 *
 * @param family the family byte as sent (not checked by the decoder)
 * @param proto  the proto byte as sent (not checked by the decoder)
 * @param code   the event ({@link NstatCode}); 0 for the established form
 * @param raddr  the remote address of the established form (4 or 16 bytes), else empty
 * @param rport  the remote port of the established form, else 0
 */
public record Nstat(int sktid, int family, int proto, long time, int code, byte[] raddr, int rport)
        implements Notification, SocketMessage {

    public Nstat {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.u8(proto, "proto");
        Check.u8(code, "code");
        Check.u16(rport, "rport");
        raddr = Check.copy(raddr);
        if (raddr.length != 0 && raddr.length != 4 && raddr.length != 16) {
            throw new IllegalArgumentException("nstat raddr has " + raddr.length + " bytes, need 4 or 16");
        }
        if (raddr.length != 0 && code != NstatCode.ESTABLISHED.code()) {
            throw new IllegalArgumentException("only the established nstat (code 0) carries a remote address");
        }
        if (raddr.length == 0 && rport != 0) {
            throw new IllegalArgumentException("a generic nstat has no remote port");
        }
    }

    /** A TCP connection established to {@code remote}. */
    public static Nstat established(int sktid, long time, InetSocketAddress remote) {
        Family family = Family.of(Check.resolved(remote, "remote").getAddress());
        return new Nstat(sktid, family.code(), Proto.TCP.code(), time, 0, Check.address(remote.getAddress(), family), remote.getPort());
    }

    /** A status event other than "established" (which carries the remote address: use {@link #established}). */
    public static Nstat of(int sktid, Family family, Proto proto, long time, NstatCode code) {
        if (code == NstatCode.ESTABLISHED && proto == Proto.TCP) {
            throw new IllegalArgumentException("a TCP established nstat carries the remote address: use established()");
        }
        return new Nstat(sktid, family.code(), proto.code(), time, code.code(), null, 0);
    }

    /** Whether this is the established form (with the remote address). */
    public boolean isEstablished() {
        return raddr.length != 0;
    }

    /** The named event; empty for an undefined code byte. */
    public Optional<NstatCode> event() {
        return NstatCode.of(code);
    }

    /** The remote address and port of the established form. */
    public Optional<InetSocketAddress> remote() {
        return raddr.length == 0 ? Optional.empty() : Optional.of(new InetSocketAddress(Check.inet(raddr), rport));
    }

    /** A copy of the remote address bytes (empty unless established form). */
    @Override
    public byte[] raddr() {
        return raddr.clone();
    }

    byte[] raddrUnsafe() {
        return raddr;
    }

    @Override
    public MessageType type() {
        return MessageType.NSTAT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Nstat n && n.sktid == sktid && n.family == family && n.proto == proto && n.time == time
                && n.code == code && Arrays.equals(n.raddr, raddr) && n.rport == rport;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sktid, family, proto, time, code, Arrays.hashCode(raddr), rport);
    }

    @Override
    public String toString() {
        return "Nstat[sktid=" + sktid + ", family=" + family + ", proto=" + proto + ", time=" + PktlabTime.toString(time)
                + ", code=" + code + (raddr.length == 0 ? "" : ", remote=" + Check.ip(raddr) + ":" + rport) + "]";
    }
}
