package org.packetlab.lab;

import java.net.InetSocketAddress;
import java.util.Objects;

/** The lab's services listen on loopback only: nothing outside this machine can reach them. */
final class Loopback {

    private Loopback() {}

    static InetSocketAddress check(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("address " + address + " is not a loopback address");
        }
        return address;
    }
}
