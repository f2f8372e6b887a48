package org.packetlab.ppks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.packetlab.wire.NameValues;

/**
 * What a certificate or a certificate request says about its privilege: type, delegation,
 * description, path length and limits. The shared part of {@link Cert.Builder} and
 * {@link Csr.Builder}; every setter validates at once and returns the builder.
 *
 * <p>Limits (spec/certificates.md §3.2) are only allowed on {@code exppriv} and {@code delpriv}.
 * Pairs keep the order in which they were first set.
 */
public abstract sealed class CertTemplate<B extends CertTemplate<B>> permits Cert.Builder, Csr.Builder {
    static final String CERT_TYPE = "cert_type";
    static final String DEL_TYPE = "del_type";
    static final String CERT_DESC = "cert_desc";

    CertType type;
    final Map<String, String> info = new LinkedHashMap<>();
    final Map<String, String> limits = new LinkedHashMap<>();
    Integer pathLen;

    CertTemplate(CertType type) {
        this.type = Objects.requireNonNull(type, "type");
        info.put(CERT_TYPE, type.token());
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    void setType(CertType newType) {
        this.type = Objects.requireNonNull(newType, "type");
        info.put(CERT_TYPE, newType.token());
        if (newType != CertType.DELPRIV) {
            info.remove(DEL_TYPE);
        }
    }

    /** The privileges a {@code delpriv} delegates ({@code del_type}); only for delpriv. */
    public B delTypes(DelType... types) {
        if (type != CertType.DELPRIV) {
            throw new IllegalStateException("del_type is only allowed on delpriv, not " + type);
        }
        if (types.length == 0) {
            throw new IllegalArgumentException("delpriv needs at least one DelType");
        }
        info.put(DEL_TYPE, DelType.format(EnumSet.copyOf(Arrays.asList(types))));
        return self();
    }

    /** A free-text description ({@code cert_desc}); characters {@code [A-Za-z0-9_-.:[],/() \t]}. */
    public B description(String text) {
        info.put(CERT_DESC, checkValue(CERT_DESC, text));
        return self();
    }

    /** An auxiliary cert_info pair (kept, ignored by endpoints). */
    public B info(String name, String value) {
        if (name.equals(CERT_TYPE) || name.equals(DEL_TYPE) || name.equals(CERT_DESC)) {
            throw new IllegalArgumentException(name + " has its own setter");
        }
        if (!NameValues.Syntax.CERT_INFO.isValidName(name)) {
            throw new IllegalArgumentException("bad cert_info name \"" + name + "\": use [A-Za-z0-9_-]");
        }
        info.put(name, checkValue(name, value));
        return self();
    }

    /**
     * The path length of an {@code exppriv}/{@code delpriv}: how many {@code delpriv} certificates
     * may sit between this one and the leaf.
     */
    public B pathLen(int pathLen) {
        requireAuthority("pathLen");
        if (pathLen < 0) {
            throw new IllegalArgumentException("pathLen < 0");
        }
        this.pathLen = pathLen;
        return self();
    }

    /** Monitor programs the controller must upload before {@code start}, by SHA-256 digest. */
    public B monitor(Digest... digests) {
        return limit(CertLimits.MONITOR, digestList(digests));
    }

    /** Filter programs, by SHA-256 digest (written like ppksman; ignored by the 1.1.0 endpoint). */
    public B filter(Digest... digests) {
        return limit(CertLimits.FILTER, digestList(digests));
    }

    /** Allowed destinations: IPv4/IPv6 addresses or prefixes such as {@code "127.0.0.0/8"}, {@code "::1"}. */
    public B validDest(String... prefixes) {
        return validDest(Arrays.stream(prefixes).map(IpPrefix::parse).toArray(IpPrefix[]::new));
    }

    /** Allowed destinations. */
    public B validDest(IpPrefix... prefixes) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("valid_dest needs at least one prefix");
        }
        return limit(CertLimits.VALID_DEST, Arrays.stream(prefixes).map(IpPrefix::toString).collect(Collectors.joining(",")));
    }

    /** Highest experiment priority the controller may publish. */
    public B maxNumPriority(long max) {
        return number(CertLimits.MAX_NUM_PRIORITY, max);
    }

    /** Most sockets a session may open. */
    public B maxSocketCount(long max) {
        return number(CertLimits.MAX_SOCKET_COUNT, max);
    }

    /** Longest cumulative experiment run time (stored in nanoseconds). */
    public B maxExpPeriod(Duration max) {
        return number(CertLimits.MAX_EXP_PERIOD, max.toNanos());
    }

    /** Cumulative send quota in bytes. */
    public B maxSendByte(long max) {
        return number(CertLimits.MAX_SEND_BYTE, max);
    }

    /** Cumulative send quota in packets. */
    public B maxSendPkt(long max) {
        return number(CertLimits.MAX_SEND_PKT, max);
    }

    /** Cumulative receive quota in bytes. */
    public B maxRecvByte(long max) {
        return number(CertLimits.MAX_RECV_BYTE, max);
    }

    /** Cumulative receive quota in packets. */
    public B maxRecvPkt(long max) {
        return number(CertLimits.MAX_RECV_PKT, max);
    }

    /** Sliding-window send limits in bytes, e.g. {@code new BurstRate(1_000_000, 1_000_000_000L)} = 1 MB per second. */
    public B maxBurstRateByte(BurstRate... rates) {
        return limit(CertLimits.MAX_BURST_RATE_BYTE, rateList(rates));
    }

    /** Sliding-window send limits in packets. */
    public B maxBurstRatePkt(BurstRate... rates) {
        return limit(CertLimits.MAX_BURST_RATE_PKT, rateList(rates));
    }

    /** Whether raw packets may carry a source address the endpoint does not own. */
    public B srcIpSpoofing(boolean allowed) {
        return limit(CertLimits.SRC_IP_SPOOFING, allowed ? "1" : "0");
    }

    /** An auxiliary limit with a name that has no meaning to endpoints. */
    public B auxLimit(String name, String value) {
        if (CertLimits.KNOWN.containsKey(name)) {
            throw new IllegalArgumentException(name + " has its own setter");
        }
        if (name.startsWith("*") || !NameValues.Syntax.CERT_INFO.isValidName(name)) {
            throw new IllegalArgumentException("bad cert_limit name \"" + name + "\": use [A-Za-z0-9_-] (optionalLimit adds the '*')");
        }
        return limit(name, value);
    }

    /**
     * An optional limit {@code *NAME=VALUE;} that endpoints which do not understand it may ignore.
     * Known limit names are refused: the reference endpoint crashes on them (spec/certificates.md §10.1).
     */
    public B optionalLimit(String name, String value) {
        if (CertLimits.KNOWN.containsKey(name)) {
            throw new IllegalArgumentException("*" + name + " would crash reference endpoints; set " + name + " itself");
        }
        if (!NameValues.Syntax.CERT_INFO.isValidName(name)) {
            throw new IllegalArgumentException("bad cert_limit name \"" + name + "\": use [A-Za-z0-9_-]");
        }
        return limit("*" + name, value);
    }

    /** Replaces every limit with those of {@code limits} (e.g. copied from another certificate). */
    public B limits(CertLimits limits) {
        if (!limits.isEmpty()) {
            requireAuthority("limits");
        }
        this.limits.clear();
        for (NameValues.Pair p : limits.pairs().pairs()) {
            this.limits.put(p.name(), p.value());
        }
        return self();
    }

    private B number(String name, long max) {
        if (max < 0) {
            throw new IllegalArgumentException(name + " < 0");
        }
        return limit(name, Long.toString(max));
    }

    private B limit(String name, String value) {
        requireAuthority(name);
        limits.put(name, checkValue(name, value));
        return self();
    }

    private static String digestList(Digest... digests) {
        if (digests.length == 0) {
            throw new IllegalArgumentException("need at least one digest");
        }
        return Arrays.stream(digests).map(Digest::hex).collect(Collectors.joining());
    }

    private static String rateList(BurstRate... rates) {
        if (rates.length == 0) {
            throw new IllegalArgumentException("need at least one burst rate");
        }
        return Arrays.stream(rates).map(BurstRate::toString).collect(Collectors.joining(","));
    }

    private static String checkValue(String name, String value) {
        Objects.requireNonNull(value, name);
        if (!NameValues.Syntax.CERT_LIMIT.isValidValue(value)) {
            throw new IllegalArgumentException("value of " + name + " may only hold [A-Za-z0-9_-.:[],/() \\t]: \"" + value + "\"");
        }
        return value;
    }

    private void requireAuthority(String what) {
        if (!type.isAuthority()) {
            throw new IllegalStateException(what + " is only allowed on exppriv and delpriv, not " + type);
        }
    }

    /** Checks the combination is one the profile allows; called when the certificate or request is made. */
    void checkComplete() {
        if (type == CertType.DELPRIV && !info.containsKey(DEL_TYPE)) {
            throw new IllegalStateException("delpriv needs delTypes(..)");
        }
        if (!type.isAuthority() && (!limits.isEmpty() || pathLen != null)) {
            throw new IllegalStateException("limits and pathLen are only allowed on exppriv and delpriv, not " + type);
        }
    }

    NameValues infoPairs() {
        return NameValues.of(NameValues.Syntax.CERT_INFO, pairs(info));
    }

    NameValues limitPairs() {
        return NameValues.of(NameValues.Syntax.CERT_LIMIT, pairs(limits));
    }

    private static List<NameValues.Pair> pairs(Map<String, String> map) {
        List<NameValues.Pair> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(new NameValues.Pair(k, v)));
        return out;
    }

    void copyFrom(CertType type, NameValues info, NameValues limits, Integer pathLen) {
        this.type = type;
        this.info.clear();
        for (NameValues.Pair p : info.pairs()) {
            this.info.put(p.name(), p.value());
        }
        this.limits.clear();
        for (NameValues.Pair p : limits.pairs()) {
            this.limits.put(p.name(), p.value());
        }
        this.pathLen = pathLen;
    }
}
