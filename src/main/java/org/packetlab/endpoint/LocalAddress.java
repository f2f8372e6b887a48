package org.packetlab.endpoint;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A local address the endpoint exports in vmem: an IPv4 address with its prefix length, or an
 * IPv6 address (exported without a mask; spec/wire-protocol.md §10.2).
 *
 * @param address      the address
 * @param prefixLength the prefix length (0..32 for IPv4; 128 for IPv6, which exports no mask)
 */
public record LocalAddress(InetAddress address, int prefixLength) {

    public LocalAddress {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0.." + max);
        }
    }

    /**
     * Parses {@code a.b.c.d/prefix} (the prefix is mandatory for IPv4, as in {@code VMemLocalAddrStrIPv4})
     * or an IPv6 literal; never resolves names.
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static LocalAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = Addresses.literal(addr)
                .orElseThrow(() -> new IllegalArgumentException("\"" + text + "\" is not an IP address (a.b.c.d/prefix or IPv6)"));
        if (a instanceof Inet6Address) {
            if (slash >= 0) {
                throw new IllegalArgumentException("\"" + text + "\": IPv6 local addresses are exported without a prefix");
            }
            return new LocalAddress(a, 128);
        }
        if (slash < 0) {
            throw new IllegalArgumentException("\"" + text + "\": an IPv4 local address needs its prefix (a.b.c.d/prefix)");
        }
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + text + "\": bad prefix length");
        }
        return new LocalAddress(a, Integer.parseInt(len));
    }

    /** Whether this is an IPv4 address. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /** The 4-byte netmask of an IPv4 address ({@code /24} gives {@code ff ff ff 00}). */
    byte[] netmask() {
        int bits = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    @Override
    public String toString() {
        return address.getHostAddress() + (isIpv4() ? "/" + prefixLength : "");
    }
}
