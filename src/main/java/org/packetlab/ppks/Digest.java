package org.packetlab.ppks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A SHA-256 digest of a PacketLab program, as listed by the {@code monitor} and {@code filter}
 * limits of a certificate (spec/certificates.md §3.2; the programs are in wire-protocol.md §11).
 */
public final class Digest {
    /** Length in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Digest(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps 32 digest bytes. */
    public static Digest of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("SHA-256 digest needs " + LENGTH + " bytes, got " + bytes.length);
        }
        return new Digest(bytes.clone());
    }

    /** The SHA-256 digest of {@code program}. */
    public static Digest sha256(byte[] program) {
        return new Digest(KeyId.sha256(program));
    }

    /** Parses 64 hex digits (either case). */
    public static Digest fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH || !isHex(hex)) {
            throw new IllegalArgumentException("SHA-256 digest needs " + 2 * LENGTH + " hex digits: \"" + hex + "\"");
        }
        return new Digest(HexFormat.of().parseHex(hex));
    }

    /** Splits a concatenation of one or more 64-digit hex digests (the {@code monitor} value syntax). */
    static List<Digest> parseList(String value) {
        if (value.isEmpty() || value.length() % (2 * LENGTH) != 0 || !isHex(value)) {
            throw new IllegalArgumentException("need one or more 64-digit hex SHA-256 digests, got " + value.length() + " characters");
        }
        List<Digest> out = new ArrayList<>(value.length() / (2 * LENGTH));
        for (int i = 0; i < value.length(); i += 2 * LENGTH) {
            out.add(new Digest(HexFormat.of().parseHex(value, i, i + 2 * LENGTH)));
        }
        return List.copyOf(out);
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0 || s.charAt(i) > 'f') {
                return false;
            }
        }
        return true;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
