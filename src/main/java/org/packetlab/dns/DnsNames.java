package org.packetlab.dns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Domain names between their presentation form and their labels (RFC 1035 §2.3.4, §5.1).
 *
 * <p>The canonical presentation form has no trailing dot (the root is {@code ""}), keeps the
 * case it was given, and escapes every label byte outside {@code !..~} as {@code \DDD} and
 * {@code .} and {@code \} as {@code \.} and {@code \\}, so that any label read off the wire has
 * exactly one string and equal names compare equal.
 */
final class DnsNames {

    static final int MAX_LABEL = 63;
    static final int MAX_WIRE_LENGTH = 255;

    private DnsNames() {}

    /** The canonical presentation form of {@code name}, or {@link IllegalArgumentException} if it is not a valid name. */
    static String canonical(String name) {
        return format(parse(name));
    }

    /** The labels of a name in presentation form, checked against the label and name length limits. */
    static List<byte[]> parse(String name) {
        Objects.requireNonNull(name, "name");
        List<byte[]> labels = new ArrayList<>();
        if (name.isEmpty() || name.equals(".")) {
            return labels;
        }
        byte[] label = new byte[MAX_LABEL];
        int n = 0;
        int wireLength = 1;
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '.') {
                if (n == 0) {
                    throw invalid(name, "empty label");
                }
                labels.add(Arrays.copyOf(label, n));
                wireLength += 1 + n;
                n = 0;
                i++;
                continue;
            }
            int b;
            if (c == '\\') {
                if (i + 1 == name.length()) {
                    throw invalid(name, "ends with a lone backslash");
                }
                char d = name.charAt(i + 1);
                if (d >= '0' && d <= '9') {
                    b = decimalEscape(name, i);
                    i += 4;
                } else if (d >= 0x20 && d <= 0x7E) {
                    b = d;
                    i += 2;
                } else {
                    throw invalid(name, "bad escape");
                }
            } else if (c >= 0x20 && c <= 0x7E) {
                b = c;
                i++;
            } else {
                throw invalid(name, String.format("character U+%04X (convert with java.net.IDN.toASCII first)", (int) c));
            }
            if (n == MAX_LABEL) {
                throw invalid(name, "label longer than " + MAX_LABEL + " bytes");
            }
            label[n++] = (byte) b;
        }
        if (n > 0) {
            labels.add(Arrays.copyOf(label, n));
            wireLength += 1 + n;
        }
        if (wireLength > MAX_WIRE_LENGTH) {
            throw invalid(name, "longer than " + MAX_WIRE_LENGTH + " bytes on the wire");
        }
        return labels;
    }

    /** The canonical presentation form of {@code labels}. */
    static String format(List<byte[]> labels) {
        StringBuilder s = new StringBuilder();
        for (byte[] label : labels) {
            if (!s.isEmpty()) {
                s.append('.');
            }
            appendLabel(s, label, 0, label.length);
        }
        return s.toString();
    }

    /** Appends one label, escaped as the canonical form requires. */
    static void appendLabel(StringBuilder s, byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '.' || b == '\\') {
                s.append('\\').append((char) b);
            } else if (b > 0x20 && b < 0x7F) {
                s.append((char) b);
            } else {
                s.append('\\').append((char) ('0' + b / 100)).append((char) ('0' + b / 10 % 10)).append((char) ('0' + b % 10));
            }
        }
    }

    private static int decimalEscape(String name, int backslash) {
        if (backslash + 3 >= name.length()) {
            throw invalid(name, "\\DDD escape needs three digits");
        }
        int value = 0;
        for (int k = backslash + 1; k <= backslash + 3; k++) {
            char d = name.charAt(k);
            if (d < '0' || d > '9') {
                throw invalid(name, "\\DDD escape needs three digits");
            }
            value = value * 10 + (d - '0');
        }
        if (value > 255) {
            throw invalid(name, "\\DDD escape above 255");
        }
        return value;
    }

    private static IllegalArgumentException invalid(String name, String reason) {
        return new IllegalArgumentException("invalid DNS name \"" + name + "\": " + reason);
    }
}
