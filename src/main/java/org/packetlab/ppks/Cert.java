package org.packetlab.ppks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.packetlab.wire.NameValues;

/**
 * A PacketLab certificate: an X.509 v3 certificate with the PPKS profile and the PacketLab
 * extensions cert_info (1.2.3.1) and cert_limit (1.2.3.3) (spec/certificates.md §2-§4).
 * Immutable; every instance passed the decoding checks of §4.1.
 *
 * <p>Make one with a builder, e.g.
 * <pre>{@code
 * Cert priv = Cert.exppriv().subject(experimenterKey)
 *         .validFor(Duration.ofDays(30)).validDest("127.0.0.0/8").maxSocketCount(10)
 *         .description("course lab 3").signWith(operatorKey);
 * }</pre>
 * or read one with {@link #parse(byte[])} / {@link #read(Path)}.
 */
public final class Cert {
    /** Most certificates read from one chain file. */
    public static final int MAX_CERTS_PER_FILE = 64;
    private static final String PEM_LABEL = "CERTIFICATE";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] der;
    private final byte[] tbs;
    private final byte[] signature;
    private final CertType type;
    private final BigInteger serial;
    private final Instant notBefore;
    private final Instant notAfter;
    private final Ed25519PublicKey subject;
    private final KeyId subjectKeyId;
    private final KeyId authorityKeyId;
    private final int keyUsage;
    private final Integer pathLen;
    private final Set<DelType> delTypes;
    private final NameValues info;
    private final boolean hasLimitExtension;
    private final CertLimits limits;

    Cert(byte[] der, byte[] tbs, byte[] signature, CertType type, BigInteger serial, Instant notBefore, Instant notAfter,
         Ed25519PublicKey subject, KeyId subjectKeyId, KeyId authorityKeyId, int keyUsage, Integer pathLen,
         Set<DelType> delTypes, NameValues info, boolean hasLimitExtension, CertLimits limits) {
        this.der = der;
        this.tbs = tbs;
        this.signature = signature;
        this.type = type;
        this.serial = serial;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.subject = subject;
        this.subjectKeyId = subjectKeyId;
        this.authorityKeyId = authorityKeyId;
        this.keyUsage = keyUsage;
        this.pathLen = pathLen;
        this.delTypes = delTypes;
        this.info = info;
        this.hasLimitExtension = hasLimitExtension;
        this.limits = limits;
    }

    // ---- builders ----

    /** A builder for a subscription command: an endpoint operator lets an endpoint key represent it. */
    public static Builder subcmd() {
        return new Builder(CertType.SUBCMD);
    }

    /** A builder for a publication command: an experimenter lets a controller key run its experiments. */
    public static Builder pubcmd() {
        return new Builder(CertType.PUBCMD);
    }

    /** A builder for an experiment privilege: an endpoint operator grants an experimenter experiments, with limits. */
    public static Builder exppriv() {
        return new Builder(CertType.EXPPRIV);
    }

    /** A builder for a delegated privilege of the given kinds. */
    public static Builder delpriv(DelType... delTypes) {
        return new Builder(CertType.DELPRIV).delTypes(delTypes);
    }

    /** A builder for an agent identity certificate (usually signed with the agent's own key). */
    public static Builder agent() {
        return new Builder(CertType.AGENT);
    }

    /** A builder for any type; a delpriv still needs {@link Builder#delTypes}. */
    public static Builder builder(CertType type) {
        return new Builder(type);
    }

    /**
     * A builder filled from a verified certificate request: its type, subject key, cert_info,
     * limits and path length. Override any of them before signing; validity still has to be set.
     */
    public static Builder fromCsr(Csr csr) {
        Builder b = new Builder(csr.type());
        b.copyFrom(csr.type(), csr.info(), csr.limits().pairs(), csr.pathLen().isPresent() ? csr.pathLen().getAsInt() : null);
        return b.subject(csr.subject());
    }

    /** A builder holding every field of this certificate, for a variant (this one is unchanged). */
    public Builder newBuilder() {
        Builder b = new Builder(type);
        b.copyFrom(type, info, limits.pairs(), pathLen);
        b.keyUsage = keyUsage;
        return b.subject(subject).serial(serial).validFrom(notBefore).validUntil(notAfter);
    }

    // ---- parsing ----

    /**
     * Decodes one certificate (DER, or PEM text holding one {@code CERTIFICATE} block) with the
     * checks of spec/certificates.md §4.1, without checking its signature.
     *
     * @throws CertException naming the first check that failed
     */
    public static Cert parse(byte[] derOrPem) throws CertException {
        return parse(derOrPem, null);
    }

    /** Like {@link #parse(byte[])}, and also checks the signature with {@code issuerKey} (step 2 of §4.1) when not null. */
    public static Cert parse(byte[] derOrPem, Ed25519PublicKey issuerKey) throws CertException {
        Objects.requireNonNull(derOrPem, "derOrPem");
        if (!Pem.isPem(derOrPem)) {
            return CertDecoder.decode(derOrPem, issuerKey);
        }
        List<Cert> all = parseAll(derOrPem);
        if (all.size() != 1) {
            throw new CertException(CertFailure.MALFORMED, "expected one certificate, found " + all.size());
        }
        return issuerKey == null ? all.get(0) : CertDecoder.decode(all.get(0).der, issuerKey);
    }

    /** Decodes every {@code CERTIFICATE} block of PEM text (a chain file), or one DER certificate. */
    public static List<Cert> parseAll(byte[] derOrPem) throws CertException {
        if (!Pem.isPem(derOrPem)) {
            return List.of(CertDecoder.decode(derOrPem, null));
        }
        List<Pem.Block> blocks;
        try {
            blocks = Pem.decodeAll(Pem.text(derOrPem, MAX_CERTS_PER_FILE), MAX_CERTS_PER_FILE, PEM_LABEL);
        } catch (IllegalArgumentException e) {
            throw new CertException(CertFailure.MALFORMED, e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new CertException(CertFailure.MALFORMED, "no CERTIFICATE block");
        }
        List<Cert> out = new ArrayList<>(blocks.size());
        for (Pem.Block b : blocks) {
            out.add(CertDecoder.decode(b.der(), null));
        }
        return List.copyOf(out);
    }

    /** Reads a file holding exactly one certificate. */
    public static Cert read(Path file) throws IOException, CertException {
        return parse(readLimited(file));
    }

    /** Reads a chain file (one or more PEM certificates, or one DER certificate), in file order. */
    public static List<Cert> readAll(Path file) throws IOException, CertException {
        return parseAll(readLimited(file));
    }

    private static byte[] readLimited(Path file) throws IOException {
        long max = (long) Pem.MAX_OBJECT_BYTES * MAX_CERTS_PER_FILE;
        if (Files.size(file) > max) {
            throw new IOException(file + ": larger than " + max + " bytes, not a certificate file");
        }
        return Files.readAllBytes(file);
    }

    /** Decodes a certificate JSSE handed over. */
    public static Cert fromX509(X509Certificate cert) throws CertException {
        try {
            return CertDecoder.decode(cert.getEncoded(), null);
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CertException(CertFailure.MALFORMED, "certificate has no encoding", e);
        }
    }

    // ---- fields ----

    public CertType type() {
        return type;
    }

    /** The serial number (non-zero; foreign negative serials are kept as they are). */
    public BigInteger serial() {
        return serial;
    }

    /** Start of validity (seconds precision). */
    public Instant notBefore() {
        return notBefore;
    }

    /** End of validity, inclusive (seconds precision). */
    public Instant notAfter() {
        return notAfter;
    }

    /** Whether {@code now} lies within {@code notBefore ≤ now ≤ notAfter} (seconds precision, as the reference). */
    public boolean isValidAt(Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        return !t.isBefore(notBefore) && !t.isAfter(notAfter);
    }

    /** The key this certificate is about. */
    public Ed25519PublicKey subject() {
        return subject;
    }

    /** Subject Key Identifier (= key id of {@link #subject()}). */
    public KeyId subjectKeyId() {
        return subjectKeyId;
    }

    /** Authority Key Identifier: the key id of the key that signed this certificate. */
    public KeyId authorityKeyId() {
        return authorityKeyId;
    }

    /** Whether the subject key is also the signer's (AKI = SKI), as for agent certificates made by {@code pktlab init}. */
    public boolean isSelfIssued() {
        return subjectKeyId.equals(authorityKeyId);
    }

    /** The path length constraint of an exppriv/delpriv, if any. */
    public OptionalInt pathLen() {
        return pathLen == null ? OptionalInt.empty() : OptionalInt.of(pathLen);
    }

    /** The privileges a delpriv delegates (empty for other types). */
    public Set<DelType> delTypes() {
        return delTypes;
    }

    /** {@code cert_desc}, if any. */
    public Optional<String> description() {
        return info.get(CertTemplate.CERT_DESC);
    }

    /** The whole cert_info string, in certificate order. */
    public NameValues info() {
        return info;
    }

    /** cert_info pairs other than {@code cert_type}, {@code del_type} and {@code cert_desc}. */
    public List<NameValues.Pair> auxInfo() {
        return info.pairs().stream().filter(p -> !p.name().equals(CertTemplate.CERT_TYPE)
                && !p.name().equals(CertTemplate.DEL_TYPE) && !p.name().equals(CertTemplate.CERT_DESC)).toList();
    }

    /** The limits (empty when there is no cert_limit extension). */
    public CertLimits limits() {
        return limits;
    }

    /** Whether the certificate carries a cert_limit extension. */
    public boolean hasLimitExtension() {
        return hasLimitExtension;
    }

    /** Whether the signature verifies with {@code issuerKey}. */
    public boolean isSignedBy(Ed25519PublicKey issuerKey) {
        return signature != null && issuerKey.verify(tbs, signature);
    }

    /** The DER encoding (a copy). */
    public byte[] der() {
        return der.clone();
    }

    /** The {@code -----BEGIN CERTIFICATE-----} PEM text, as the reference writes it. */
    public String pem() {
        return Pem.encode(PEM_LABEL, der);
    }

    /** Writes {@link #pem()} to {@code file} atomically. */
    public void writePem(Path file, boolean replace) throws IOException {
        SecureFiles.writeAtomically(file, pem().getBytes(java.nio.charset.StandardCharsets.US_ASCII), false, replace);
    }

    /** The PEM of several certificates, one after the other (a chain file). */
    public static String pem(List<Cert> chain) {
        StringBuilder sb = new StringBuilder();
        chain.forEach(c -> sb.append(c.pem()));
        return sb.toString();
    }

    /** This certificate as a JDK X.509 certificate (for JSSE key managers). */
    public X509Certificate toX509() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalStateException("JDK cannot parse a PacketLab certificate", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cert c && Arrays.equals(der, c.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    /** One line: type, serial, subject and signer key ids, validity. */
    @Override
    public String toString() {
        return type + "[serial=" + serial.toString(16) + ", subject=" + subjectKeyId.hex().substring(0, 16)
                + "…, signer=" + authorityKeyId.hex().substring(0, 16) + "…, " + notBefore + ".." + notAfter + "]";
    }

    /**
     * A certificate being prepared. Required: {@link #subject}, an end of validity
     * ({@link #validUntil} or {@link #validFor}); defaults: valid from now, a random positive
     * 63-bit serial number. {@link #signWith} makes the certificate; the builder can be reused.
     */
    public static final class Builder extends CertTemplate<Builder> {
        private Ed25519PublicKey subject;
        private Instant validFrom;
        private Instant validUntil;
        private Duration validFor;
        private BigInteger serial;
        private Clock clock = Clock.systemUTC();
        Integer keyUsage;

        Builder(CertType type) {
            super(type);
            long s;
            do {
                s = RANDOM.nextLong() & Long.MAX_VALUE;
            } while (s == 0);
            this.serial = BigInteger.valueOf(s);
        }

        /** Changes the type (e.g. to grant a different type than a CSR asked for). */
        public Builder type(CertType type) {
            setType(type);
            return this;
        }

        /** The key the certificate is about. */
        public Builder subject(Ed25519PublicKey subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        /** Start of validity (truncated to seconds); default: now. */
        public Builder validFrom(Instant from) {
            this.validFrom = Objects.requireNonNull(from, "from").truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        /** End of validity, inclusive (truncated to seconds). Replaces {@link #validFor}. */
        public Builder validUntil(Instant until) {
            this.validUntil = Objects.requireNonNull(until, "until").truncatedTo(ChronoUnit.SECONDS);
            this.validFor = null;
            return this;
        }

        /** Validity length counted from the start of validity. Replaces {@link #validUntil}. */
        public Builder validFor(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("validFor < 0");
            }
            this.validFor = duration;
            this.validUntil = null;
            return this;
        }

        /** The serial number: positive. */
        public Builder serial(long serial) {
            return serial(BigInteger.valueOf(serial));
        }

        /** The serial number: non-zero (ppksman counts up from 1). */
        public Builder serial(BigInteger serial) {
            if (serial.signum() == 0) {
                throw new IllegalArgumentException("serial must not be 0");
            }
            this.serial = serial;
            return this;
        }

        /** The clock "now" comes from (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Signs the certificate with {@code signer} (its key id becomes the AKI) and returns it.
         *
         * @throws IllegalStateException naming what is missing or inconsistent
         */
        public Cert signWith(Ed25519PrivateKey signer) {
            Objects.requireNonNull(signer, "signer");
            if (subject == null) {
                throw new IllegalStateException("subject key not set: call subject(..)");
            }
            checkComplete();
            Instant from = validFrom != null ? validFrom : clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant until;
            if (validUntil != null) {
                until = validUntil;
            } else if (validFor != null) {
                until = from.plus(validFor);
            } else {
                throw new IllegalStateException("end of validity not set: call validUntil(..) or validFor(..)");
            }
            if (until.isBefore(from)) {
                throw new IllegalStateException("validUntil " + until + " is before validFrom " + from);
            }
            NameValues limitPairs = limitPairs();
            var b = new X509v3CertificateBuilder(Profile.BLANK_NAME, serial, new Time(Date.from(from)), new Time(Date.from(until)),
                    Profile.BLANK_NAME, SubjectPublicKeyInfo.getInstance(subject.spki()));
            try {
                b.addExtension(Profile.authorityKeyId(signer.keyId()));
                b.addExtension(Profile.subjectKeyId(subject.keyId()));
                b.addExtension(Profile.keyUsage(keyUsage != null ? keyUsage : Profile.defaultKeyUsage(type)));
                b.addExtension(Profile.basicConstraints(type, pathLen));
                b.addExtension(Profile.packetLab(Profile.CERT_INFO, infoPairs()));
                if (!limitPairs.isEmpty()) {
                    b.addExtension(Profile.packetLab(Profile.CERT_LIMIT, limitPairs));
                }
                return CertDecoder.decode(b.build(Profile.signer(signer)).getEncoded(), signer.publicKey());
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode the certificate", e);
            } catch (CertException e) {
                throw new IllegalStateException("built an invalid certificate: " + e.getMessage(), e);
            }
        }
    }
}
