package org.packetlab.broker;

import java.util.List;
import org.packetlab.ppks.Cert;
import org.packetlab.wire.PktlabTime;

/**
 * Value rules of the xdescr fields the broker and the manager check (spec/broker.md §5.1,
 * agents.md §B.5.2). Pure functions.
 */
final class DescriptorRules {
    private DescriptorRules() {}

    static final String SNI_KEY = "sni_key";
    static final String CONTROLLER_ADDR = "controller_addr";
    static final String PUB_END = "pub_end";
    static final String EXP_PRIORITY = "exp_priority";
    static final String ENDPOINT_COUNTRY = "endpoint_country";
    static final String ENDPOINT_LOCATION = "endpoint_location";
    static final String HOSTID = "hostid";

    /** Largest exp_priority: 2^32-1. */
    static final long MAX_PRIORITY = 0xFFFF_FFFFL;

    /**
     * Whether {@code v} is a controller address: {@code host}, {@code host:port} or
     * {@code [v6]:port}, with a host name or IPv4 literal of {@code [A-Za-z0-9._-]}, an IPv6 literal of
     * hex digits, ':' and '.', and a decimal port 1..65535.
     */
    static boolean isControllerAddr(String v) {
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 2 || !v.startsWith(":", close + 1)) {
                return false;
            }
            String inner = v.substring(1, close);
            return inner.indexOf(':') >= 0 && inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')
                    && isPort(v.substring(close + 2));
        }
        int colon = v.indexOf(':');
        if (colon != v.lastIndexOf(':')) {
            return false;
        }
        String host = colon < 0 ? v : v.substring(0, colon);
        return !host.isEmpty() && host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')
                && (colon < 0 || isPort(v.substring(colon + 1)));
    }

    private static boolean isPort(String p) {
        if (p.isEmpty() || p.length() > 5 || !isDigits(p)) {
            return false;
        }
        int port = Integer.parseInt(p);
        return port >= 1 && port <= 65535;
    }

    /** Whether {@code v} is a decimal unsigned 64-bit value (pktlab time). */
    static boolean isU64(String v) {
        if (v.isEmpty() || v.length() > 20 || !isDigits(v)) {
            return false;
        }
        try {
            Long.parseUnsignedLong(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code v} is a decimal priority 0..2^32-1. */
    static boolean isPriority(String v) {
        return !v.isEmpty() && v.length() <= 10 && isDigits(v) && Long.parseLong(v) <= MAX_PRIORITY;
    }

    /** Whether {@code v} is an ISO 3166-1 alpha-3 country code: three upper-case ASCII letters. */
    static boolean isCountry(String v) {
        return v.length() == 3 && v.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    /** Whether {@code v} is a Maidenhead locator pattern: upper-case letters, digits, {@code *} and {@code ?}. */
    static boolean isLocation(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*' || c == '?');
    }

    static boolean isDigits(String v) {
        return v.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The first pktlab time at which a verified chain is no longer valid: one ns after its earliest notAfter. */
    static long chainEnd(List<Cert> chain) {
        long end = PktlabTime.MAX;
        for (Cert c : chain) {
            long after;
            try {
                after = PktlabTime.of(c.notAfter()) + 1;
            } catch (IllegalArgumentException beyondPktlabTime) {
                // a notAfter past 2554 outlives every pktlab time: no end from this certificate
                continue;
            }
            if (Long.compareUnsigned(after, end) < 0) {
                end = after;
            }
        }
        return end;
    }

    /** The earlier of two unsigned pktlab times. */
    static long earlier(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
