package org.packetlab.endpoint;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** Address helpers: literals without name resolution, and the controller address syntax. */
final class Addresses {
    private Addresses() {}

    /** Default controller port (spec/agents.md §C.5). */
    static final int DEFAULT_CONTROLLER_PORT = 20556;

    /** The address of an IPv4 or IPv6 literal; empty for anything else (names are never resolved). */
    static Optional<InetAddress> literal(String text) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(text);
        if (b == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(b));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + b.length + " bytes", e);
        }
    }

    /** The address of raw address bytes (4 or 16). */
    static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + bytes.length + " bytes", e);
        }
    }

    /**
     * Splits a controller address {@code HOST[:PORT]} as the endpoint does: at the last ':', with
     * port 20556 when none is given; a bracketed IPv6 literal {@code [::1]:PORT} and a bare IPv6
     * literal are also accepted (the reference cannot use either). The result is unresolved.
     *
     * @throws IllegalArgumentException for an empty host or a bad port
     */
    static InetSocketAddress controller(String text) {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\": missing ']'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("\"" + text + "\": expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (NetUtil.isValidIpV6Address(text)) {
            host = text;
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\": empty host");
        }
        int p = DEFAULT_CONTROLLER_PORT;
        if (port != null) {
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (p = Integer.parseInt(port)) > 0xFFFF) {
                throw new IllegalArgumentException("\"" + text + "\": bad port \"" + port + "\"");
            }
        }
        return InetSocketAddress.createUnresolved(host, p);
    }

    /** The wire bytes of {@code a} for a socket of {@code family}: an IPv4 address on an IPv6 socket becomes IPv4-mapped. */
    static byte[] bytes(InetAddress a, org.packetlab.wire.Family family) {
        byte[] b = a.getAddress();
        if (b.length == family.addressLength()) {
            return b;
        }
        if (b.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(b, 0, mapped, 12, 4);
            return mapped;
        }
        throw new IllegalArgumentException(a.getHostAddress() + " is not an " + family + " address");
    }

    /** {@code 127.0.0.1:20556} or {@code [::1]:20556}, for log lines. */
    static String describe(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i && !i.isUnresolved() ? NetUtil.toSocketAddressString(i) : String.valueOf(a);
    }
}
