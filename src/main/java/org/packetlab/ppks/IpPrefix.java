package org.packetlab.ppks;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address prefix of a {@code valid_dest} limit: {@code ADDRESS[/LEN]}, no length
 * meaning a single host (spec/certificates.md §3.2). Matching uses the intended semantics
 * (prefix length to mask, {@code /0} matches every address of its family), not the
 * reference's accidents (§10.4).
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = maxLength(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + max);
        }
    }

    /** Parses {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code ::1}, {@code 2001:db8::/32}; never resolves names. */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(addr);
        if (address == null) {
            throw new IllegalArgumentException("\"" + addr + "\" is not an IPv4 or IPv6 address");
        }
        if (slash < 0) {
            return new IpPrefix(address, maxLength(address));
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad prefix length in \"" + text + "\"");
        }
        return new IpPrefix(address, Integer.parseInt(len));
    }

    /** Parses a comma-separated list. */
    static List<IpPrefix> parseList(String value) {
        List<IpPrefix> out = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            out.add(parse(item));
        }
        return List.copyOf(out);
    }

    private static int maxLength(InetAddress a) {
        return a instanceof Inet4Address ? 32 : 128;
    }

    /** Whether {@code candidate} (same family) lies inside this prefix. */
    public boolean contains(InetAddress candidate) {
        byte[] net = address.getAddress();
        byte[] c = candidate.getAddress();
        if (net.length != c.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != c[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (net[full] & mask) == (c[full] & mask);
    }

    /** {@code ADDRESS/LEN}, or just the address for a single host. */
    @Override
    public String toString() {
        String a = NetUtil.toAddressString(address);
        return prefixLength == maxLength(address) ? a : a + "/" + prefixLength;
    }
}
