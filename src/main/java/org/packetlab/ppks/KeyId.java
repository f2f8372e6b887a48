package org.packetlab.ppks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A key identifier: SHA-256 over the 32 raw bytes of an Ed25519 public key (spec/certificates.md §1).
 * Used as Subject/Authority Key Identifier in certificates and as a private channel id.
 */
public final class KeyId implements Comparable<KeyId> {
    /** Length of a key id in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private KeyId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The key id of a raw 32-byte Ed25519 public key. */
    static KeyId ofRawKey(byte[] rawPublicKey) {
        return new KeyId(sha256(rawPublicKey));
    }

    /** Wraps 32 key-id bytes (for example an AKI read from a certificate). */
    public static KeyId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("key id length " + bytes.length + " != " + LENGTH);
        }
        return new KeyId(bytes.clone());
    }

    /** Parses 64 hex digits (either case). */
    public static KeyId fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("key id needs " + 2 * LENGTH + " hex digits, got " + hex.length());
        }
        return new KeyId(HexFormat.of().parseHex(hex));
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Lower-case hex, 64 digits. */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    boolean matches(byte[] other) {
        return MessageDigest.isEqual(bytes, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyId k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(KeyId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
