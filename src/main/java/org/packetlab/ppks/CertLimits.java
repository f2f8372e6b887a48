package org.packetlab.ppks;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.packetlab.wire.NameValues;

/**
 * The limits of an {@code exppriv} or {@code delpriv} certificate: its cert_limit extension
 * (OID 1.2.3.3), decoded into typed values (spec/certificates.md §3.2). Immutable.
 *
 * <p>Numeric limits are unsigned 64-bit values: compare them with {@link Long#compareUnsigned}.
 * An absent limit means "unlimited".
 */
public final class CertLimits {
    static final String MONITOR = "monitor";
    static final String FILTER = "filter";
    static final String MAX_NUM_PRIORITY = "max_num_priority";
    static final String MAX_SOCKET_COUNT = "max_socket_count";
    static final String MAX_EXP_PERIOD = "max_exp_period";
    static final String MAX_SEND_BYTE = "max_send_byte";
    static final String MAX_SEND_PKT = "max_send_pkt";
    static final String MAX_RECV_BYTE = "max_recv_byte";
    static final String MAX_RECV_PKT = "max_recv_pkt";
    static final String MAX_BURST_RATE_BYTE = "max_burst_rate_byte";
    static final String MAX_BURST_RATE_PKT = "max_burst_rate_pkt";
    static final String VALID_DEST = "valid_dest";
    static final String SRC_IP_SPOOFING = "src_ip_spoofing";

    /** Names with a meaning, and the failure a malformed value of each gives. */
    static final Map<String, CertFailure> KNOWN = Map.ofEntries(
            Map.entry(MONITOR, CertFailure.BAD_MONITOR_DIGESTS),
            Map.entry(FILTER, CertFailure.BAD_MONITOR_DIGESTS),
            Map.entry(MAX_NUM_PRIORITY, CertFailure.BAD_MAX_NUM_PRIORITY),
            Map.entry(MAX_SOCKET_COUNT, CertFailure.BAD_MAX_SOCKET_COUNT),
            Map.entry(MAX_EXP_PERIOD, CertFailure.BAD_MAX_EXP_PERIOD),
            Map.entry(MAX_SEND_BYTE, CertFailure.BAD_MAX_SEND_BYTE),
            Map.entry(MAX_SEND_PKT, CertFailure.BAD_MAX_SEND_PKT),
            Map.entry(MAX_RECV_BYTE, CertFailure.BAD_MAX_RECV_BYTE),
            Map.entry(MAX_RECV_PKT, CertFailure.BAD_MAX_RECV_PKT),
            Map.entry(MAX_BURST_RATE_BYTE, CertFailure.BAD_BURST_RATE),
            Map.entry(MAX_BURST_RATE_PKT, CertFailure.BAD_BURST_RATE),
            Map.entry(VALID_DEST, CertFailure.BAD_VALID_DEST),
            Map.entry(SRC_IP_SPOOFING, CertFailure.BAD_SRC_IP_SPOOFING));

    private static final String[] NUMERIC = {MAX_NUM_PRIORITY, MAX_SOCKET_COUNT, MAX_EXP_PERIOD,
            MAX_SEND_BYTE, MAX_SEND_PKT, MAX_RECV_BYTE, MAX_RECV_PKT};

    static final CertLimits NONE = new CertLimits(NameValues.empty(NameValues.Syntax.CERT_LIMIT), List.of(), List.of(),
            null, new long[NUMERIC.length], new boolean[NUMERIC.length], List.of(), List.of(), null, List.of());

    private final NameValues pairs;
    private final List<Digest> monitors;
    private final List<Digest> filters;
    private final List<IpPrefix> validDest;
    private final long[] numbers;
    private final boolean[] present;
    private final List<BurstRate> burstBytes;
    private final List<BurstRate> burstPackets;
    private final Boolean srcIpSpoofing;
    private final List<NameValues.Pair> aux;

    private CertLimits(NameValues pairs, List<Digest> monitors, List<Digest> filters, List<IpPrefix> validDest,
                       long[] numbers, boolean[] present, List<BurstRate> burstBytes, List<BurstRate> burstPackets,
                       Boolean srcIpSpoofing, List<NameValues.Pair> aux) {
        this.pairs = pairs;
        this.monitors = monitors;
        this.filters = filters;
        this.validDest = validDest;
        this.numbers = numbers;
        this.present = present;
        this.burstBytes = burstBytes;
        this.burstPackets = burstPackets;
        this.srcIpSpoofing = srcIpSpoofing;
        this.aux = aux;
    }

    /**
     * Decodes the limit pairs the way {@code pktlab_decode_cert_detail} does. {@code filter} is
     * decoded when well-formed and otherwise kept as an auxiliary limit, because the reference
     * treats it as auxiliary (§10.7). A {@code *}-prefixed name is an optional (auxiliary) limit
     * even when the rest is a known name (the reference crashes on those, §10.1; we tolerate them).
     *
     * @throws CertException with the failure of the first malformed known limit
     */
    static CertLimits decode(NameValues pairs) throws CertException {
        List<Digest> monitors = List.of();
        List<Digest> filters = List.of();
        List<IpPrefix> validDest = null;
        long[] numbers = new long[NUMERIC.length];
        boolean[] present = new boolean[NUMERIC.length];
        List<BurstRate> burstBytes = List.of();
        List<BurstRate> burstPackets = List.of();
        Boolean spoofing = null;
        List<NameValues.Pair> aux = new ArrayList<>();
        for (NameValues.Pair p : pairs.pairs()) {
            String name = p.name();
            String value = p.value();
            CertFailure failure = KNOWN.get(name);
            if (failure == null) {
                aux.add(p);
                continue;
            }
            try {
                switch (name) {
                    case MONITOR -> monitors = Digest.parseList(value);
                    case FILTER -> {
                        try {
                            filters = Digest.parseList(value);
                        } catch (IllegalArgumentException notDigests) {
                            aux.add(p);
                        }
                    }
                    case VALID_DEST -> validDest = IpPrefix.parseList(value);
                    case MAX_BURST_RATE_BYTE -> burstBytes = BurstRate.parseList(value);
                    case MAX_BURST_RATE_PKT -> burstPackets = BurstRate.parseList(value);
                    case SRC_IP_SPOOFING -> {
                        if (!value.equals("0") && !value.equals("1")) {
                            throw new IllegalArgumentException("must be 0 or 1");
                        }
                        spoofing = value.equals("1");
                    }
                    default -> {
                        int i = numericIndex(name);
                        numbers[i] = Decimal.parseU64(value);
                        present[i] = true;
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new CertException(failure, name + "=" + value + ": " + e.getMessage(), e);
            }
        }
        return new CertLimits(pairs, monitors, filters, validDest, numbers, present, burstBytes, burstPackets, spoofing, List.copyOf(aux));
    }

    private static int numericIndex(String name) {
        for (int i = 0; i < NUMERIC.length; i++) {
            if (NUMERIC[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a numeric limit: " + name);
    }

    private OptionalLong number(String name) {
        int i = numericIndex(name);
        return present[i] ? OptionalLong.of(numbers[i]) : OptionalLong.empty();
    }

    /** The limit pairs as written in the certificate (empty when it has no cert_limit extension). */
    public NameValues pairs() {
        return pairs;
    }

    /** Whether there is no limit at all. */
    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** Digests of the monitor programs the controller must upload before {@code start}. */
    public List<Digest> monitors() {
        return monitors;
    }

    /** Digests of filter programs (written by ppksman, ignored by the 1.1.0 endpoint). */
    public List<Digest> filters() {
        return filters;
    }

    /** Allowed destinations, when limited; an empty list allows none. */
    public Optional<List<IpPrefix>> validDest() {
        return Optional.ofNullable(validDest);
    }

    /** Whether {@code destination} is allowed by {@code valid_dest} (always, when there is none). */
    public boolean allowsDestination(InetAddress destination) {
        return validDest == null || validDest.stream().anyMatch(p -> p.contains(destination));
    }

    /** Highest experiment priority the controller may publish. */
    public OptionalLong maxNumPriority() {
        return number(MAX_NUM_PRIORITY);
    }

    /** Most successful {@code nopen}s per session. */
    public OptionalLong maxSocketCount() {
        return number(MAX_SOCKET_COUNT);
    }

    /** Longest cumulative experiment run time, in pktlab ticks (nanoseconds). */
    public OptionalLong maxExpPeriod() {
        return number(MAX_EXP_PERIOD);
    }

    /** Cumulative send quota in bytes. */
    public OptionalLong maxSendByte() {
        return number(MAX_SEND_BYTE);
    }

    /** Cumulative send quota in packets. */
    public OptionalLong maxSendPkt() {
        return number(MAX_SEND_PKT);
    }

    /** Cumulative receive quota in bytes. */
    public OptionalLong maxRecvByte() {
        return number(MAX_RECV_BYTE);
    }

    /** Cumulative receive quota in packets. */
    public OptionalLong maxRecvPkt() {
        return number(MAX_RECV_PKT);
    }

    /** Sliding-window send limits in bytes. */
    public List<BurstRate> maxBurstRateByte() {
        return burstBytes;
    }

    /** Sliding-window send limits in packets. */
    public List<BurstRate> maxBurstRatePkt() {
        return burstPackets;
    }

    /** Whether raw packets may carry a foreign source address, when set. */
    public Optional<Boolean> srcIpSpoofing() {
        return Optional.ofNullable(srcIpSpoofing);
    }

    /** Auxiliary limits: unknown names and every {@code *}-prefixed (optional) limit, in order. */
    public List<NameValues.Pair> aux() {
        return aux;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertLimits l && l.pairs.equals(pairs);
    }

    @Override
    public int hashCode() {
        return pairs.hashCode();
    }

    /** The encoded pairs. */
    @Override
    public String toString() {
        return pairs.toString();
    }
}
