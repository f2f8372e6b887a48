package org.packetlab.ppks;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * An Ed25519 private key (the 32-byte seed), stored as PKCS#8 PEM ({@code keys/NAME}), optionally
 * passphrase-protected (spec/certificates.md §1.1).
 *
 * <pre>
 *   PKCS#8 DER = 30 2e 02 01 00 30 05 06 03 2b 65 70 04 22 04 20 ‖ 32-byte seed   (48 bytes)
 * </pre>
 *
 * <h2>Secret material</h2>
 * {@link #toString()} shows only the key id of the public half; the seed leaves this object only
 * through {@link #pem()}, {@link #write} and {@link #toJava()}. Never log those.
 */
public final class Ed25519PrivateKey {
    /** Length of the seed. */
    public static final int LENGTH = 32;
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    private static final String PEM_LABEL = "PRIVATE KEY";
    private static final String ENCRYPTED_PEM_LABEL = "ENCRYPTED PRIVATE KEY";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final byte[] seed;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed) {
        this.seed = seed;
        this.publicKey = Ed25519PublicKey.fromRaw(new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded());
    }

    /** A fresh key pair from a CSPRNG. */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[LENGTH];
        RANDOM.nextBytes(seed);
        return new Ed25519PrivateKey(seed);
    }

    /** The key with this 32-byte seed (RFC 8032 private key). */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        Objects.requireNonNull(seed, "seed");
        if (seed.length != LENGTH) {
            throw new IllegalArgumentException("Ed25519 seed needs " + LENGTH + " bytes, got " + seed.length);
        }
        return new Ed25519PrivateKey(seed.clone());
    }

    /** Parses unencrypted PKCS#8 DER (v0, or v1 whose embedded public key must match). */
    public static Ed25519PrivateKey fromPkcs8(byte[] der) {
        Objects.requireNonNull(der, "der");
        if (der.length > Pem.MAX_OBJECT_BYTES) {
            throw new IllegalArgumentException("private key of " + der.length + " bytes is too large");
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a PKCS#8 private key", e);
        }
        return fromInfo(info);
    }

    private static Ed25519PrivateKey fromInfo(PrivateKeyInfo info) {
        if (!EdECObjectIdentifiers.id_Ed25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())
                || info.getPrivateKeyAlgorithm().getParameters() != null) {
            throw new IllegalArgumentException("not an Ed25519 private key (algorithm " + info.getPrivateKeyAlgorithm().getAlgorithm() + ")");
        }
        byte[] seed;
        try {
            seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Ed25519 private key content is not an OCTET STRING", e);
        }
        Ed25519PrivateKey key = fromSeed(seed);
        Arrays.fill(seed, (byte) 0);
        if (info.getPublicKeyData() != null && !Arrays.equals(info.getPublicKeyData().getOctets(), key.publicKey.raw())) {
            throw new IllegalArgumentException("PKCS#8 public key does not match the private key");
        }
        return key;
    }

    /** Parses an unencrypted {@code PRIVATE KEY} PEM. */
    public static Ed25519PrivateKey parsePem(String pem) {
        return parsePem(pem, null);
    }

    /**
     * Parses a {@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE KEY} PEM; {@code passphrase} is used
     * only for the encrypted form (PKCS#8 EncryptedPrivateKeyInfo, e.g. PBES2/PBKDF2/AES-256-CBC as
     * Python {@code cryptography} writes it). As in the reference, a missing passphrase counts as empty.
     *
     * @throws IllegalArgumentException when the text is not such a key or the passphrase is wrong
     */
    public static Ed25519PrivateKey parsePem(String pem, char[] passphrase) {
        Pem.Block block = Pem.decodeOne(pem, PEM_LABEL, ENCRYPTED_PEM_LABEL);
        if (block.label().equals(PEM_LABEL)) {
            return fromPkcs8(block.der());
        }
        PrivateKeyInfo info;
        try {
            PKCS8EncryptedPrivateKeyInfo enc = new PKCS8EncryptedPrivateKeyInfo(block.der());
            info = enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(BC).build(passphrase == null ? new char[0] : passphrase));
        } catch (IOException | PKCSException | OperatorCreationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decrypt the private key (wrong passphrase or unsupported encryption)", e);
        }
        return fromInfo(info);
    }

    /** Whether the PEM text holds an encrypted key (so a caller knows to ask for a passphrase). */
    public static boolean isEncryptedPem(String pem) {
        return pem.contains("-----BEGIN " + ENCRYPTED_PEM_LABEL + "-----");
    }

    /** Reads an unencrypted private key file (PKCS#8 PEM or DER, or a raw 32-byte seed). */
    public static Ed25519PrivateKey read(Path file) throws IOException {
        return read(file, null);
    }

    /** Reads a private key file, decrypting it with {@code passphrase} if it is encrypted. */
    public static Ed25519PrivateKey read(Path file, char[] passphrase) throws IOException {
        if (Files.size(file) > Pem.MAX_OBJECT_BYTES) {
            throw new IOException(file + ": larger than " + Pem.MAX_OBJECT_BYTES + " bytes, not a key");
        }
        byte[] data = Files.readAllBytes(file);
        try {
            if (Pem.isPem(data)) {
                return parsePem(Pem.text(data, 1), passphrase);
            }
            return data.length == LENGTH ? fromSeed(data) : fromPkcs8(data);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** Converts a JCA Ed25519 private key. */
    public static Ed25519PrivateKey fromJava(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (key.getEncoded() == null) {
            throw new IllegalArgumentException("private key has no PKCS#8 encoding");
        }
        return fromPkcs8(key.getEncoded());
    }

    /** The public half. */
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    /** The key id of the public half. */
    public KeyId keyId() {
        return publicKey.keyId();
    }

    /** A pure Ed25519 signature (64 bytes) of {@code message}; deterministic. */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** Unencrypted PKCS#8 DER (48 bytes). Secret. */
    public byte[] pkcs8() {
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + LENGTH);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, LENGTH);
        return der;
    }

    /** The unencrypted {@code PRIVATE KEY} PEM, byte-identical to the reference's files. Secret. */
    public String pem() {
        byte[] der = pkcs8();
        try {
            return Pem.encode(PEM_LABEL, der);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * An {@code ENCRYPTED PRIVATE KEY} PEM: PBES2 with PBKDF2-HMAC-SHA256 (2048 iterations, 16-byte
     * salt) and AES-256-CBC, what Python {@code cryptography} writes for the reference. Secret.
     */
    public String pem(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            return pem();
        }
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(BC)
                    .setPRF(new AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_hmacWithSHA256,
                            org.bouncycastle.asn1.DERNull.INSTANCE))
                    .setIterationCount(2048)
                    .setRandom(RANDOM)
                    .setPassword(passphrase)
                    .build();
            PemObject obj = new PKCS8Generator(PrivateKeyInfo.getInstance(pkcs8()), encryptor).generate();
            StringWriter out = new StringWriter();
            try (PemWriter w = new PemWriter(out)) {
                w.writeObject(obj);
            }
            return out.toString().replace("\r\n", "\n");
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot encrypt the private key", e);
        }
    }

    /**
     * Writes the unencrypted PEM atomically, readable by the owner only (mode 0600 on POSIX).
     *
     * @param replace whether an existing file is replaced; otherwise it fails with
     *                {@link java.nio.file.FileAlreadyExistsException}
     */
    public void write(Path file, boolean replace) throws IOException {
        SecureFiles.writeAtomically(file, pem().getBytes(StandardCharsets.US_ASCII), true, replace);
    }

    /** Writes the PEM encrypted with {@code passphrase} (unencrypted if it is empty), owner-only, atomically. */
    public void write(Path file, char[] passphrase, boolean replace) throws IOException {
        SecureFiles.writeAtomically(file, pem(passphrase).getBytes(StandardCharsets.US_ASCII), true, replace);
    }

    /** This key as a JCA key (algorithm "Ed25519"; JSSE key managers call its type "EdDSA"). Secret. */
    public PrivateKey toJava() {
        byte[] der = pkcs8();
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot load an Ed25519 key", e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** Same key: compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PrivateKey k && java.security.MessageDigest.isEqual(seed, k.seed);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    /** {@code Ed25519PrivateKey[keyId=…]}: never the key material. */
    @Override
    public String toString() {
        return "Ed25519PrivateKey[keyId=" + publicKey.keyId().hex() + "]";
    }
}
