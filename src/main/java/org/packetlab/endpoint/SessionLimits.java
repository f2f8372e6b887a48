package org.packetlab.endpoint;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertLimits;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.IpPrefix;
import org.packetlab.wire.PktlabTime;

/**
 * The resource limits of one session, computed at handshake time from the verified controller
 * chain: only {@code exppriv} and {@code delpriv} certificates contribute, and each limit is the
 * minimum over them (spec/agents.md §C.13); burst rates add up, with the built-in 10 Mbit/s rule.
 * The quotas count down during the session; they are not persisted across sessions (the
 * reference's LMDB accounting is not implemented).
 * Confined to the session's event loop.
 */
final class SessionLimits {
    /** Socket quota when no certificate sets {@code max_socket_count}. */
    static final long DEFAULT_SOCKET_QUOTA = 65535;
    /** The reference ends a run whose chain lists more monitor digests than this (§C.5). */
    static final int MAX_MONITOR_DIGESTS = 100;

    private final List<List<IpPrefix>> validDest;
    private final long endTime;
    private final List<Digest> monitors;
    private final SendRate rate;
    private long sockets;
    private long sendBytes;
    private long sendPackets;
    private long recvBytes;
    private long recvPackets;

    private SessionLimits(List<List<IpPrefix>> validDest, long endTime, List<Digest> monitors, SendRate rate, long sockets,
                          long sendBytes, long sendPackets, long recvBytes, long recvPackets) {
        this.validDest = validDest;
        this.endTime = endTime;
        this.monitors = monitors;
        this.rate = rate;
        this.sockets = sockets;
        this.sendBytes = sendBytes;
        this.sendPackets = sendPackets;
        this.recvBytes = recvBytes;
        this.recvPackets = recvPackets;
    }

    /**
     * The limits of the verified controller chain {@code chain} (leaf first) for a session whose
     * handshake completed at pktlab time {@code now}.
     */
    static SessionLimits of(List<Cert> chain, long now) {
        List<CertLimits> contributing = new ArrayList<>();
        long end = PktlabTime.MAX;
        List<Digest> monitors = new ArrayList<>();
        for (Cert c : chain) {
            monitors.addAll(c.limits().monitors());
            if (c.type() == CertType.EXPPRIV || c.type() == CertType.DELPRIV) {
                contributing.add(c.limits());
                end = minUnsigned(end, pktlabTime(c.notAfter()));
            }
        }
        List<List<IpPrefix>> dest = new ArrayList<>();
        List<BurstRate> byteRules = new ArrayList<>();
        List<BurstRate> packetRules = new ArrayList<>();
        for (CertLimits l : contributing) {
            l.validDest().ifPresent(dest::add);
            byteRules.addAll(l.maxBurstRateByte());
            packetRules.addAll(l.maxBurstRatePkt());
        }
        long period = min(contributing, CertLimits::maxExpPeriod, PktlabTime.MAX);
        if (period != PktlabTime.MAX) {
            long sum = now + period;
            end = minUnsigned(end, Long.compareUnsigned(sum, now) < 0 ? PktlabTime.MAX : sum);
        }
        return new SessionLimits(List.copyOf(dest), end, List.copyOf(monitors), new SendRate(byteRules, packetRules),
                min(contributing, CertLimits::maxSocketCount, DEFAULT_SOCKET_QUOTA),
                min(contributing, CertLimits::maxSendByte, -1), min(contributing, CertLimits::maxSendPkt, -1),
                min(contributing, CertLimits::maxRecvByte, -1), min(contributing, CertLimits::maxRecvPkt, -1));
    }

    private static long pktlabTime(Instant t) {
        return t.getEpochSecond() < 0 ? 0 : PktlabTime.of(t);
    }

    private static long min(List<CertLimits> limits, Function<CertLimits, OptionalLong> get, long absent) {
        long v = absent;
        for (CertLimits l : limits) {
            OptionalLong o = get.apply(l);
            if (o.isPresent()) {
                v = minUnsigned(v, o.getAsLong());
            }
        }
        return v;
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /**
     * Whether {@code destination} is allowed: it must match an entry of every certificate that has
     * a {@code valid_dest} list (AND across certificates, OR within one).
     */
    boolean allowsDestination(InetAddress destination) {
        for (List<IpPrefix> list : validDest) {
            if (list.stream().noneMatch(p -> p.contains(destination))) {
                return false;
            }
        }
        return true;
    }

    /** The pktlab time after which the session is ended ({@link PktlabTime#MAX}: never). */
    long endTime() {
        return endTime;
    }

    /** The monitor digests the controller must upload, chain order then listed order. */
    List<Digest> monitors() {
        return monitors;
    }

    /** Takes one unit of the socket quota; false when it is exhausted. */
    boolean takeSocket() {
        if (sockets == 0) {
            return false;
        }
        sockets--;
        return true;
    }

    /** Whether the socket quota is exhausted. */
    boolean socketsExhausted() {
        return sockets == 0;
    }

    /** Whether a send of {@code bytes} can still ever happen under the send quotas and burst rates. */
    boolean maySend(long bytes) {
        return sendPackets != 0 && Long.compareUnsigned(bytes, sendBytes) <= 0 && !rate.neverAllows(bytes);
    }

    /** The earliest pktlab time, not before {@code now}, at which the burst rates let a send of {@code bytes} go. */
    long sendableAt(long now, long bytes) {
        return rate.earliest(now, bytes);
    }

    /** Counts a send of {@code bytes} (one packet) at {@code now}. */
    void sent(long now, long bytes) {
        rate.sent(now, bytes);
        sendPackets = sendPackets == -1 ? -1 : sendPackets - 1;
        sendBytes = sendBytes == -1 ? -1 : sendBytes - bytes;
    }

    /** Takes a received unit of {@code bytes} from the receive quotas; false (nothing taken) when it does not fit. */
    boolean takeReceive(long bytes) {
        if (recvPackets == 0 || Long.compareUnsigned(bytes, recvBytes) > 0) {
            return false;
        }
        recvPackets = recvPackets == -1 ? -1 : recvPackets - 1;
        recvBytes = recvBytes == -1 ? -1 : recvBytes - bytes;
        return true;
    }
}
