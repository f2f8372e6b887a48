package org.packetlab.wire;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/** An address family with its wire value and address length (spec/wire-protocol.md §7). */
public enum Family {
    IPV4(4, 4),
    IPV6(6, 16);

    private final int code;
    private final int addressLength;

    Family(int code, int addressLength) {
        this.code = code;
        this.addressLength = addressLength;
    }

    /** The family byte on the wire (4 or 6). */
    public int code() {
        return code;
    }

    /** Bytes of an address of this family on the wire (4 or 16). */
    public int addressLength() {
        return addressLength;
    }

    /** The family for a wire value; empty for any other value. */
    public static Optional<Family> of(int code) {
        return code == 4 ? Optional.of(IPV4) : code == 6 ? Optional.of(IPV6) : Optional.empty();
    }

    /** The family of an address. */
    public static Family of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }
}
