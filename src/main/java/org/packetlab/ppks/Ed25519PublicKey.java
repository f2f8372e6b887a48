package org.packetlab.ppks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 public key: 32 raw bytes, stored as SubjectPublicKeyInfo PEM ({@code NAME.pub})
 * (spec/certificates.md §1). Immutable.
 *
 * <pre>
 *   SPKI DER = 30 2a 30 05 06 03 2b 65 70 03 21 00 ‖ 32 raw key bytes   (44 bytes)
 * </pre>
 */
public final class Ed25519PublicKey {
    /** Length of a raw public key. */
    public static final int LENGTH = 32;
    static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final String PEM_LABEL = "PUBLIC KEY";

    private final byte[] raw;
    private final KeyId keyId;

    private Ed25519PublicKey(byte[] raw) {
        this.raw = raw;
        this.keyId = KeyId.ofRawKey(raw);
    }

    /** The key with these 32 raw bytes. */
    public static Ed25519PublicKey fromRaw(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key needs " + LENGTH + " bytes, got " + raw.length);
        }
        return new Ed25519PublicKey(raw.clone());
    }

    /** Parses SubjectPublicKeyInfo DER (exactly the 44-byte Ed25519 form). */
    public static Ed25519PublicKey fromSpki(byte[] der) {
        Objects.requireNonNull(der, "der");
        if (der.length != SPKI_PREFIX.length + LENGTH || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 SubjectPublicKeyInfo (OID 1.3.101.112, 32-byte key)");
        }
        return new Ed25519PublicKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
    }

    /** Parses PEM text holding one {@code PUBLIC KEY} block. */
    public static Ed25519PublicKey parsePem(String pem) {
        return fromSpki(Pem.decodeOne(pem, PEM_LABEL).der());
    }

    /** Reads a public key file: SPKI PEM, SPKI DER, or 32 raw bytes (the reference loader accepts all three). */
    public static Ed25519PublicKey read(Path file) throws IOException {
        if (Files.size(file) > Pem.MAX_OBJECT_BYTES) {
            throw new IOException(file + ": larger than " + Pem.MAX_OBJECT_BYTES + " bytes, not a key");
        }
        byte[] data = Files.readAllBytes(file);
        try {
            if (Pem.isPem(data)) {
                return parsePem(Pem.text(data, 1));
            }
            return data.length == LENGTH ? fromRaw(data) : fromSpki(data);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Converts a JCA Ed25519 public key (e.g. from a JSSE certificate). */
    public static Ed25519PublicKey fromJava(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (key.getEncoded() == null) {
            throw new IllegalArgumentException("public key has no encoding");
        }
        return fromSpki(key.getEncoded());
    }

    /** A copy of the 32 raw bytes. */
    public byte[] raw() {
        return raw.clone();
    }

    /** The key id: SHA-256 of the raw key. */
    public KeyId keyId() {
        return keyId;
    }

    /** SubjectPublicKeyInfo DER (44 bytes). */
    public byte[] spki() {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + LENGTH);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, LENGTH);
        return der;
    }

    /** The {@code -----BEGIN PUBLIC KEY-----} PEM text, byte-identical to the reference's files. */
    public String pem() {
        return Pem.encode(PEM_LABEL, spki());
    }

    /** Writes {@link #pem()} to {@code file} atomically (readable by everyone, as the reference's .pub files). */
    public void writePem(Path file) throws IOException {
        SecureFiles.writeAtomically(file, pem().getBytes(StandardCharsets.US_ASCII), false, true);
    }

    /** This key as a JCA key (algorithm "Ed25519"), for JSSE. */
    public PublicKey toJava() {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot load an Ed25519 key", e);
        }
    }

    /** Whether {@code signature} is a valid pure-Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(raw, 0));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey k && Arrays.equals(raw, k.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    /** {@code Ed25519PublicKey[keyId=…]}. */
    @Override
    public String toString() {
        return "Ed25519PublicKey[keyId=" + keyId.hex() + "]";
    }
}
