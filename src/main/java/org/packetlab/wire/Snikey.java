package org.packetlab.wire;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * A snikey: the name an endpoint sends as TLS SNI so that a manager (or a proxy) picks the
 * experiment it asked for. 1 to 63 characters from {@code [a-z0-9]} (spec/wire-protocol.md §2.2).
 */
public record Snikey(String value) {

    /** Length of a generated snikey, as the reference generates them. */
    public static final int GENERATED_LENGTH = 63;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public Snikey {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid snikey \"" + value + "\": need 1-63 characters from [a-z0-9]");
        }
    }

    /** Whether {@code s} is a valid snikey. */
    public static boolean isValid(CharSequence s) {
        if (s == null || s.isEmpty() || s.length() > 63) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /** A fresh random 63-character snikey (CSPRNG). */
    public static Snikey random() {
        char[] c = new char[GENERATED_LENGTH];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new Snikey(new String(c));
    }

    @Override
    public String toString() {
        return value;
    }
}
