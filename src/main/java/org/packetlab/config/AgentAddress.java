package org.packetlab.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An agent address as written on the command line and in configuration files: {@code ADDR[:PORT]}
 * (spec/agents.md §A.1). Parsing is textual; names are resolved only by {@link #resolve}.
 *
 * <pre>
 *   [2001:db8::1]:20556   bracketed IPv6 literal; the port is then mandatory
 *   2001:db8::1           5th character is ':' -> a bare IPv6 literal without port
 *   broker.example:20557  otherwise split at the first ':'
 *   127.0.0.1             no ':' -> host only; the port is the default of its use
 * </pre>
 *
 * <h2>Pitfalls</h2>
 * Because of the 5th-character rule, a 4-character host name with a port ({@code host:20556})
 * reads as an IPv6 literal and fails to resolve, and a short IPv6 literal such as {@code ::1}
 * must be written bracketed with a port. {@link #toString()} always produces text that parses
 * back to an equal address, bracketing where needed.
 *
 * @param host a host name or an IP literal, without brackets
 * @param port the port, or empty for the default port of the address's use
 */
public record AgentAddress(String host, OptionalInt port) {

    /** The default port of each use of an address (spec/agents.md §A.1, §C.1, §C.2; broker.md). */
    public enum DefaultPort {
        /** Where a manager listens for endpoints (passive mode), and where endpoints connect. */
        MANAGER(20556),
        /** A proxy's backlog-registration port, for managers in active mode. */
        PROXY(20557),
        /** A broker's publication port, for managers. */
        BROKER_PUBLISH(20556),
        /** A broker's subscription port, for endpoints. */
        BROKER_SUBSCRIBE(20557);

        private final int port;

        DefaultPort(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    public AgentAddress {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host in address");
        }
        if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("host \"" + host + "\" contains a bracket");
        }
        for (int i = 0; i < host.length(); i++) {
            if (Character.isWhitespace(host.charAt(i)) || Character.isISOControl(host.charAt(i))) {
                throw new IllegalArgumentException("host \"" + host + "\" contains white space or a control character");
            }
        }
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is not in 0..65535");
        }
        if (port.isEmpty() && host.indexOf(':') >= 0 && !(host.length() > 4 && host.charAt(4) == ':')) {
            throw new IllegalArgumentException("IPv6 address \"" + host
                    + "\" can only be written bracketed with a port, e.g. [" + host + "]:20556");
        }
    }

    /** An address with the default port of its use. */
    public static AgentAddress of(String host) {
        return new AgentAddress(host, OptionalInt.empty());
    }

    /** An address with an explicit port (0 = ephemeral when listening). */
    public static AgentAddress of(String host, int port) {
        return new AgentAddress(host, OptionalInt.of(port));
    }

    /**
     * Parses {@code ADDR[:PORT]} by the rules of spec/agents.md §A.1.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static AgentAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("\"" + text + "\": '[' without ']'");
            }
            if (close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("\"" + text + "\": a bracketed address needs \":PORT\" after ']'");
            }
            return new AgentAddress(text.substring(1, close), OptionalInt.of(parsePort(text, text.substring(close + 2))));
        }
        if (text.length() > 4 && text.charAt(4) == ':') {
            return new AgentAddress(text, OptionalInt.empty());
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new AgentAddress(text, OptionalInt.empty());
        }
        return new AgentAddress(text.substring(0, colon), OptionalInt.of(parsePort(text, text.substring(colon + 1))));
    }

    private static int parsePort(String text, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("\"" + text + "\": port \"" + port + "\" is not a number in 0..65535");
        }
        int p = Integer.parseInt(port);
        if (p > 65535) {
            throw new IllegalArgumentException("\"" + text + "\": port " + p + " is not in 0..65535");
        }
        return p;
    }

    /** The port, or the default port of {@code use} when none was given. */
    public int port(DefaultPort use) {
        return port.orElse(use.port());
    }

    /**
     * Resolves the host and returns the first address, as the reference does (no fallback to further
     * addresses). IP literals are never looked up.
     *
     * @throws UnknownHostException when the host does not resolve
     */
    public InetSocketAddress resolve(DefaultPort use) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port(use));
    }

    /** The address as {@code ADDR[:PORT]} text that {@link #parse} reads back to an equal address. */
    @Override
    public String toString() {
        if (port.isEmpty()) {
            return host;
        }
        // a ':' in the host, or a 4-character host (5th-character rule), needs the bracket form
        boolean bracket = host.indexOf(':') >= 0 || host.length() == 4;
        return (bracket ? "[" + host + "]" : host) + ":" + port.getAsInt();
    }
}
