package org.packetlab.results;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What happened with one endpoint during a run: who it was, when, and either the mlet's value or
 * why there is none.
 *
 * @param endpoint the endpoint's TCP peer address (what the reference exports to mlets as {@code EPADDR})
 * @param hostId   the host id the endpoint exports in its vmem; empty when it was not read
 * @param start    when the manager accepted the connection
 * @param end      when the endpoint was done with (session closed or refused)
 * @param status   the outcome
 * @param value    the mlet's value when {@code status} is {@link Status#OK} (may itself be null); null otherwise
 * @param error    one line saying what went wrong; null when {@code status} is {@link Status#OK}
 * @param cause    the exception behind {@code error}, when there is one; null otherwise
 * @param <T>      the type of the mlet's value
 */
public record EndpointResult<T>(InetSocketAddress endpoint, String hostId, Instant start, Instant end,
                                Status status, T value, String error, Throwable cause) {

    /** The outcome for one endpoint. */
    public enum Status {
        /** The mlet returned a value. */
        OK("ok"),
        /** The mlet threw. */
        MLET_FAILED("mlet failed"),
        /** The session was set up, then lost (the endpoint vanished, closed, or sent garbage) before the mlet was done. */
        SESSION_FAILED("session failed"),
        /** The connection never became a session: TLS, program submission or start failed. */
        REFUSED("refused"),
        /** The endpoint's host id does not match the manager's host id pattern; its session was closed unused. */
        SKIPPED("skipped"),
        /** The run was stopped or cancelled before the mlet was done. */
        CANCELLED("cancelled");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** The lower-case words used in tables and summaries. */
        public String label() {
            return label;
        }

        /** Whether this outcome is a failure worth reporting (all but {@link #OK} and {@link #SKIPPED}). */
        public boolean isFailure() {
            return this != OK && this != SKIPPED;
        }
    }

    public EndpointResult {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(status, "status");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end " + end + " is before start " + start);
        }
        if (status == Status.OK) {
            if (error != null || cause != null) {
                throw new IllegalArgumentException("an OK result carries no error");
            }
        } else {
            if (error == null || error.isBlank()) {
                throw new IllegalArgumentException("a " + status + " result needs an error message");
            }
            if (value != null) {
                throw new IllegalArgumentException("a " + status + " result carries no value");
            }
        }
    }

    /** The mlet returned {@code value}. */
    public static <T> EndpointResult<T> ok(InetSocketAddress endpoint, String hostId, Instant start, Instant end, T value) {
        return new EndpointResult<>(endpoint, hostId, start, end, Status.OK, value, null, null);
    }

    /** A failure described by {@code cause} (its message and those of its causes become {@link #error()}). */
    public static <T> EndpointResult<T> failed(InetSocketAddress endpoint, String hostId, Instant start, Instant end,
                                               Status status, Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        return new EndpointResult<>(endpoint, hostId, start, end, status, null, describe(cause), cause);
    }

    /** A failure with its own message; {@code cause} may be null. */
    public static <T> EndpointResult<T> failed(InetSocketAddress endpoint, String hostId, Instant start, Instant end,
                                               Status status, String error, Throwable cause) {
        return new EndpointResult<>(endpoint, hostId, start, end, status, null, error, cause);
    }

    /** How long the endpoint was with the manager. */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /** Whether the mlet returned a value. */
    public boolean isOk() {
        return status == Status.OK;
    }

    /** The endpoint's address as text without any name lookup: {@code 192.0.2.1:20556}, {@code [2001:db8::1]:20556}. */
    public String endpointText() {
        String host = endpoint.getAddress() != null ? addressText(endpoint.getAddress()) : endpoint.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }

    /** An address as text without name lookup; IPv6 in the RFC 5952 short form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    static String addressText(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        // the longest run of two or more zero groups (the first of equal runs) becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** One line for the result column: the value's summary when OK, otherwise the error. */
    public String summary() {
        return isOk() ? summarize(value) : error;
    }

    /** The summary of a value: {@link Summarizable#summary()}, a size for byte arrays, else {@code toString()}. */
    public static String summarize(Object value) {
        return switch (value) {
            case null -> "null";
            case Summarizable s -> s.summary();
            case byte[] b -> b.length + " bytes";
            case Object[] a -> Arrays.deepToString(a);
            default -> value.toString();
        };
    }

    /**
     * One line describing an exception: its message (prefixed with its type for {@code java.lang}
     * exceptions, whose messages rarely stand alone) followed by those of its causes that add something.
     */
    public static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(message(e));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = message(c);
            if (!sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    private static String message(Throwable t) {
        String name = t.getClass().getSimpleName();
        if (t.getMessage() == null || t.getMessage().isBlank()) {
            return name;
        }
        // "/ by zero" says little without "ArithmeticException"; our own exceptions' messages stand alone
        return t.getClass().getPackageName().equals("java.lang") ? name + ": " + t.getMessage() : t.getMessage();
    }
}
