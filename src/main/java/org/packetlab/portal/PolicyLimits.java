package org.packetlab.portal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertLimits;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.IpPrefix;
import org.packetlab.wire.NameValues;

/**
 * The cert_limit fields a policy imposes on every certificate it issues (spec/certificates.md §3.2),
 * and the test of whether the limits a request suggests are within them.
 *
 * <p>Only limits the reference endpoint understands are offered: {@code filter} (ignored by the
 * 1.1.0 endpoint, §10.7), auxiliary and {@code *}-optional limits (which crash reference decoders,
 * §10.1-10.2) cannot be imposed and are refused when a request asks for them.
 */
final class PolicyLimits {
    static final String VALID_DEST = "valid_dest";
    static final String MONITOR = "monitor";
    static final String SRC_IP_SPOOFING = "src_ip_spoofing";
    static final String MAX_BURST_RATE_BYTE = "max_burst_rate_byte";
    static final String MAX_BURST_RATE_PKT = "max_burst_rate_pkt";
    static final String MAX_EXP_PERIOD = "max_exp_period";

    /** The numeric limits, each with the reading of a request's value of it. */
    private static final Map<String, Function<CertLimits, OptionalLong>> NUMERIC = numeric();

    /** Every limit name a policy may set, in the order they are shown. */
    static final List<String> NAMES = names();

    private final Map<String, String> pairs = new LinkedHashMap<>();
    private final Map<String, Long> numbers = new LinkedHashMap<>();
    private List<IpPrefix> validDest;
    private List<Digest> monitors;
    private Boolean spoofing;
    private List<BurstRate> burstBytes;
    private List<BurstRate> burstPackets;

    private static Map<String, Function<CertLimits, OptionalLong>> numeric() {
        Map<String, Function<CertLimits, OptionalLong>> m = new LinkedHashMap<>();
        m.put("max_num_priority", CertLimits::maxNumPriority);
        m.put("max_socket_count", CertLimits::maxSocketCount);
        m.put(MAX_EXP_PERIOD, CertLimits::maxExpPeriod);
        m.put("max_send_byte", CertLimits::maxSendByte);
        m.put("max_send_pkt", CertLimits::maxSendPkt);
        m.put("max_recv_byte", CertLimits::maxRecvByte);
        m.put("max_recv_pkt", CertLimits::maxRecvPkt);
        return Collections.unmodifiableMap(m);
    }

    private static List<String> names() {
        List<String> n = new ArrayList<>(List.of(VALID_DEST));
        n.addAll(NUMERIC.keySet());
        n.addAll(List.of(MAX_BURST_RATE_BYTE, MAX_BURST_RATE_PKT, SRC_IP_SPOOFING, MONITOR));
        return List.copyOf(n);
    }

    /**
     * Sets one limit from its policy text and returns the canonical cert_limit value.
     *
     * @throws IllegalArgumentException naming what is wrong with the name or value
     */
    String set(String name, String text) {
        String value = text.strip();
        if (pairs.containsKey(name)) {
            throw new IllegalArgumentException(name + " is set twice");
        }
        String canonical = switch (name) {
            case VALID_DEST -> {
                validDest = items(value).stream().map(IpPrefix::parse).toList();
                yield validDest.stream().map(IpPrefix::toString).collect(Collectors.joining(","));
            }
            case MONITOR -> {
                monitors = items(value).stream().map(Digest::fromHex).toList();
                if (new HashSet<>(monitors).size() != monitors.size()) {
                    throw new IllegalArgumentException("a monitor digest is listed twice");
                }
                yield monitors.stream().map(Digest::hex).collect(Collectors.joining());
            }
            case SRC_IP_SPOOFING -> {
                if (!value.equals("0") && !value.equals("1")) {
                    throw new IllegalArgumentException("\"" + value + "\" must be 0 (forbidden) or 1 (allowed)");
                }
                spoofing = value.equals("1");
                yield value;
            }
            case MAX_BURST_RATE_BYTE -> {
                burstBytes = rates(value);
                yield join(burstBytes);
            }
            case MAX_BURST_RATE_PKT -> {
                burstPackets = rates(value);
                yield join(burstPackets);
            }
            default -> {
                if (!NUMERIC.containsKey(name)) {
                    throw new IllegalArgumentException("unknown limit \"" + name + "\" (known: " + String.join(", ", NAMES) + ")");
                }
                long n = name.equals(MAX_EXP_PERIOD) && !isDigits(value) ? Durations.parse(value).toNanos() : number(value);
                numbers.put(name, n);
                yield Long.toString(n);
            }
        };
        pairs.put(name, canonical);
        return canonical;
    }

    /** The limits as {@code name -> cert_limit value}, in the order they were set. */
    Map<String, String> pairs() {
        return Collections.unmodifiableMap(pairs);
    }

    boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** Imposes these limits on a certificate being made. */
    void applyTo(Cert.Builder b) {
        if (validDest != null) {
            b.validDest(validDest.toArray(IpPrefix[]::new));
        }
        numbers.forEach((name, n) -> {
            switch (name) {
                case "max_num_priority" -> b.maxNumPriority(n);
                case "max_socket_count" -> b.maxSocketCount(n);
                case MAX_EXP_PERIOD -> b.maxExpPeriod(Duration.ofNanos(n));
                case "max_send_byte" -> b.maxSendByte(n);
                case "max_send_pkt" -> b.maxSendPkt(n);
                case "max_recv_byte" -> b.maxRecvByte(n);
                case "max_recv_pkt" -> b.maxRecvPkt(n);
                default -> throw new IllegalStateException("numeric limit without a setter: " + name);
            }
        });
        if (burstBytes != null) {
            b.maxBurstRateByte(burstBytes.toArray(BurstRate[]::new));
        }
        if (burstPackets != null) {
            b.maxBurstRatePkt(burstPackets.toArray(BurstRate[]::new));
        }
        if (spoofing != null) {
            b.srcIpSpoofing(spoofing);
        }
        if (monitors != null) {
            b.monitor(monitors.toArray(Digest[]::new));
        }
    }

    /**
     * Why the limits a request suggests are not within these, or empty when they are. A request
     * names what it wants to be allowed to do; the policy must allow all of it. Limits the request
     * leaves out are no wish at all (the reference's {@code exppriv_exper.csr} names none).
     */
    Optional<String> refusal(CertLimits requested) {
        for (NameValues.Pair p : requested.pairs().pairs()) {
            String name = p.name();
            if (name.startsWith("*") || !NAMES.contains(name)) {
                return Optional.of("The request asks for the limit \"" + name + "\", which this portal does not grant."
                        + " Ask without it.");
            }
        }
        if (requested.validDest().isPresent() && validDest != null) {
            for (IpPrefix wanted : requested.validDest().get()) {
                if (validDest.stream().noneMatch(granted -> covers(granted, wanted))) {
                    return Optional.of("The request asks for destinations " + wanted + ", outside what the policy allows ("
                            + pairs.get(VALID_DEST) + ").");
                }
            }
        }
        for (Map.Entry<String, Function<CertLimits, OptionalLong>> e : NUMERIC.entrySet()) {
            OptionalLong wanted = e.getValue().apply(requested);
            Long granted = numbers.get(e.getKey());
            if (wanted.isPresent() && granted != null && Long.compareUnsigned(wanted.getAsLong(), granted) > 0) {
                return Optional.of("The request asks for " + e.getKey() + "=" + Long.toUnsignedString(wanted.getAsLong())
                        + ", more than the policy allows (" + granted + ").");
            }
        }
        Optional<String> rates = rateRefusal(MAX_BURST_RATE_BYTE, requested.maxBurstRateByte(), burstBytes);
        if (rates.isEmpty()) {
            rates = rateRefusal(MAX_BURST_RATE_PKT, requested.maxBurstRatePkt(), burstPackets);
        }
        if (rates.isPresent()) {
            return rates;
        }
        if (requested.srcIpSpoofing().orElse(false) && Boolean.FALSE.equals(spoofing)) {
            return Optional.of("The request asks for src_ip_spoofing=1; the policy forbids spoofed source addresses.");
        }
        if (!requested.monitors().isEmpty()
                && (monitors == null || !new HashSet<>(requested.monitors()).equals(new HashSet<>(monitors)))) {
            return Optional.of("The request names monitor programs; the operator decides them"
                    + (monitors == null ? " and this policy imposes none." : " (" + pairs.get(MONITOR) + ").")
                    + " Ask without monitor.");
        }
        return Optional.empty();
    }

    /** A requested rate is within the policy when a granted rate over the same window allows at least as much. */
    private static Optional<String> rateRefusal(String name, List<BurstRate> wanted, List<BurstRate> granted) {
        if (granted == null) {
            return Optional.empty();
        }
        for (BurstRate w : wanted) {
            boolean ok = granted.stream().anyMatch(g -> g.window() == w.window() && Long.compareUnsigned(w.count(), g.count()) <= 0);
            if (!ok) {
                return Optional.of("The request asks for " + name + "=" + w + ", which the policy's " + name + "=" + join(granted)
                        + " does not allow (ask for the same windows, with counts no larger).");
            }
        }
        return Optional.empty();
    }

    private static boolean covers(IpPrefix granted, IpPrefix wanted) {
        return granted.address().getClass() == wanted.address().getClass()
                && granted.prefixLength() <= wanted.prefixLength()
                && granted.contains(wanted.address());
    }

    private static List<String> items(String value) {
        List<String> out = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            String t = item.strip();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("empty item in \"" + value + "\"");
            }
            out.add(t);
        }
        return out;
    }

    private static List<BurstRate> rates(String value) {
        List<BurstRate> out = new ArrayList<>();
        for (String item : items(value)) {
            int slash = item.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("\"" + item + "\" is not COUNT/WINDOW (window in nanoseconds)");
            }
            long window = number(item.substring(slash + 1));
            if (window == 0) {
                throw new IllegalArgumentException("window of \"" + item + "\" must be > 0");
            }
            out.add(new BurstRate(number(item.substring(0, slash)), window));
        }
        return List.copyOf(out);
    }

    private static String join(List<BurstRate> rates) {
        return rates.stream().map(BurstRate::toString).collect(Collectors.joining(","));
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long number(String s) {
        if (!isDigits(s) || s.length() > 19) {
            throw new IllegalArgumentException("\"" + s + "\" is not a number from 0 to " + Long.MAX_VALUE);
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a number from 0 to " + Long.MAX_VALUE, e);
        }
    }
}
