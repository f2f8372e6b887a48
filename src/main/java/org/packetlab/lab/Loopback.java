package org.packetlab.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    /** 127.0.0.1. */
    static InetAddress ipv4() {
        return address(new byte[] {127, 0, 0, 1});
    }

    /** Whether ::1 can be bound here (containers often run without IPv6). */
    static boolean ipv6Works() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (IOException e) {
            throw new IllegalStateException("4 or 16 bytes are always an IP address", e);
        }
    }
}
