package org.packetlab.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The value types of configuration files (spec/config-files.md §1.3): readers that validate a
 * value text exactly as the reference does, and the matching formatting for {@link ConfigText}.
 */
final class Values {
    private static final long U64_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final long U64_MOD_10 = Long.remainderUnsigned(-1L, 10);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Values() {}

    /** {@code bool}: exactly {@code 0} or {@code 1}. */
    static boolean bool(String value) throws InvalidValueException {
        return switch (value) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new InvalidValueException("must be 0 or 1");
        };
    }

    /**
     * {@code u64} as C {@code strtoull(value, &end, 10)} with the whole value consumed: leading C white
     * space and a sign are accepted, and {@code -N} wraps to 2^64-N [quirk: {@code -1} is
     * 18446744073709551615]; overflow is an error; trailing characters (even blanks) are errors.
     *
     * @return the value as an unsigned 64-bit number
     */
    static long u64(String value) throws InvalidValueException {
        int i = 0;
        while (i < value.length() && isCSpace(value.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < value.length() && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
            negative = value.charAt(i) == '-';
            i++;
        }
        int digits = i;
        long v = 0;
        while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
            int d = value.charAt(i) - '0';
            if (Long.compareUnsigned(v, U64_DIV_10) > 0 || (v == U64_DIV_10 && d > U64_MOD_10)) {
                throw new InvalidValueException("number out of range (more than 18446744073709551615)");
            }
            v = v * 10 + d;
            i++;
        }
        if (i == digits) {
            throw new InvalidValueException("not an unsigned decimal number");
        }
        if (i != value.length()) {
            throw new InvalidValueException("unexpected text after the number");
        }
        return negative ? -v : v;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** A u64 count of nanoseconds (or of {@code unit} nanoseconds) as a duration; never overflows. */
    static Duration unsignedDuration(long u64, long unitNanos) {
        BigInteger[] qr = new BigInteger(Long.toUnsignedString(u64)).multiply(BigInteger.valueOf(unitNanos))
                .divideAndRemainder(NANOS_PER_SECOND);
        return Duration.ofSeconds(qr[0].longValueExact(), qr[1].longValue());
    }

    /**
     * A duration as a u64 count of {@code unit} nanoseconds.
     *
     * @throws IllegalArgumentException if negative, not a whole number of units, or beyond 2^64-1 units
     */
    static long toUnsigned(String what, Duration d, long unitNanos) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " < 0");
        }
        BigInteger nanos = BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(d.getNano()));
        BigInteger[] qr = nanos.divideAndRemainder(BigInteger.valueOf(unitNanos));
        if (qr[1].signum() != 0) {
            throw new IllegalArgumentException(what + " " + d + " is not a whole number of " + unitName(unitNanos));
        }
        if (qr[0].compareTo(U64_MAX) > 0) {
            throw new IllegalArgumentException(what + " " + d + " is more than 2^64-1 " + unitName(unitNanos));
        }
        return qr[0].longValue();
    }

    private static String unitName(long unitNanos) {
        return unitNanos == 1 ? "nanoseconds" : unitNanos == 1_000_000 ? "milliseconds" : unitNanos + " ns units";
    }

    /** {@code time}: a u64 number of nanoseconds. */
    static Duration nanos(String value) throws InvalidValueException {
        return unsignedDuration(u64(value), 1);
    }

    /** {@code path}: an existing regular file (symbolic links followed), relative to the working directory. */
    static Path path(String value, Option.Context context) throws InvalidValueException {
        Path p = resolve(value, context);
        if (!Files.exists(p)) {
            throw new InvalidValueException("file " + p + " does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidValueException(p + " is not a regular file");
        }
        return p;
    }

    /** {@code path list}: comma-separated paths, each an existing regular file; no empty items. */
    static List<Path> pathList(String value, Option.Context context) throws InvalidValueException {
        List<Path> paths = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            if (item.isEmpty()) {
                throw new InvalidValueException("empty item in path list");
            }
            paths.add(path(item, context));
        }
        return List.copyOf(paths);
    }

    /** {@code dir}: an existing directory; one trailing {@code /} is removed. */
    static Path dir(String value, Option.Context context) throws InvalidValueException {
        String v = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        Path p = resolve(v, context);
        if (!Files.isDirectory(p)) {
            throw new InvalidValueException("directory " + p + " does not exist");
        }
        return p;
    }

    /** A path string (not checked for existence), relative to the working directory. */
    static Path resolve(String value, Option.Context context) throws InvalidValueException {
        try {
            return context.workingDirectory().resolve(value);
        } catch (InvalidPathException e) {
            throw new InvalidValueException("not a usable path: " + e.getMessage(), e);
        }
    }

    /** {@code address}: {@code ADDR[:PORT]} (spec/agents.md §A.1), resolved now as the reference does. */
    static AgentAddress address(String value) throws InvalidValueException {
        AgentAddress a;
        try {
            a = AgentAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("not an address ADDR[:PORT]: " + e.getMessage(), e);
        }
        try {
            InetAddress.getByName(a.host());
        } catch (UnknownHostException e) {
            throw new InvalidValueException("cannot resolve host \"" + a.host() + "\"", e);
        }
        return a;
    }

    /** {@code hex list}: comma-separated items, each empty or an even number of hex digits (at most 32 bytes). */
    static List<ChannelItem> hexList(String value) throws InvalidValueException {
        List<ChannelItem> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            try {
                items.add(new ChannelItem(item));
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException(e.getMessage(), e);
            }
        }
        return List.copyOf(items);
    }

    /** Items of a comma-separated text list, empty items kept. */
    static List<String> items(String value) {
        return List.of(value.split(",", -1));
    }

    static String join(List<?> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            // an item may be empty (a derived channel): separators go by position, not by content
            if (i > 0) {
                sb.append(',');
            }
            sb.append(items.get(i));
        }
        return sb.toString();
    }

    /** Paths as a path list; a path containing ',' cannot be written in one. */
    static String pathList(String option, List<Path> paths) {
        for (Path p : paths) {
            if (p.toString().indexOf(',') >= 0) {
                throw new IllegalArgumentException(option + ": path " + p + " contains ',' and cannot be part of a path list");
            }
        }
        return join(paths);
    }

    /**
     * Checks that a value can be written on one configuration line and read back unchanged: no line
     * breaks, NUL or other control characters but tab, and no leading blank (the key/value split
     * would eat it).
     *
     * @throws IllegalArgumentException naming the option
     */
    static String writable(String option, String value) {
        if (!value.isEmpty() && ConfigLines.isBlank(value.charAt(0))) {
            throw new IllegalArgumentException(option + ": value \"" + value + "\" starts with a blank");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && Character.isISOControl(c)) {
                throw new IllegalArgumentException(option + ": value contains a control character (code " + (int) c + ")");
            }
        }
        return value;
    }
}
