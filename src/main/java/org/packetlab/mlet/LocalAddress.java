package org.packetlab.mlet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A local address the endpoint exports (vmem {@code IP4LS} / {@code IP6LS}); the endpoint exports
 * a netmask for IPv4 addresses only.
 *
 * @param address      the address
 * @param prefixLength the IPv4 prefix length (leading one bits of the netmask); empty for IPv6
 */
public record LocalAddress(InetAddress address, OptionalInt prefixLength) {

    public LocalAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(prefixLength, "prefixLength");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength.isPresent() && (prefixLength.getAsInt() < 0 || prefixLength.getAsInt() > max)) {
            throw new IllegalArgumentException("prefix length " + prefixLength.getAsInt() + " is not in 0.." + max);
        }
    }

    /** {@code 10.0.0.7/24}, or the bare address when there is no prefix. */
    @Override
    public String toString() {
        String a = address.getHostAddress();
        return prefixLength.isPresent() ? a + "/" + prefixLength.getAsInt() : a;
    }
}
