package org.packetlab.ppks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.packetlab.wire.NameValues;

/**
 * A certificate signing request as ppksman makes them: PKCS#10 with subject CN=" ", the
 * requester's Ed25519 key, self-signed, and an extensionRequest suggesting cert_info, cert_limit
 * and (for a requested path length) basic constraints (spec/certificates.md §7). Immutable;
 * every instance has a valid self-signature.
 *
 * <h2>Formats</h2>
 * Only PKCS#10 ({@code -----BEGIN CERTIFICATE REQUEST-----}) is read and written. The project web
 * site calls the reference's requests "CRMF", but the generator source builds PKCS#10 and no CRMF
 * request was ever seen, so CRMF is not accepted.
 *
 * <p>The signer turns a request into a certificate with {@link Cert#fromCsr(Csr)}, overriding
 * what it does not want to grant.
 */
public final class Csr {
    private static final String PEM_LABEL = "CERTIFICATE REQUEST";

    private final byte[] der;
    private final Ed25519PublicKey subject;
    private final CertType type;
    private final Set<DelType> delTypes;
    private final NameValues info;
    private final CertLimits limits;
    private final Integer pathLen;

    private Csr(byte[] der, Ed25519PublicKey subject, CertType type, Set<DelType> delTypes, NameValues info,
                CertLimits limits, Integer pathLen) {
        this.der = der;
        this.subject = subject;
        this.type = type;
        this.delTypes = delTypes;
        this.info = info;
        this.limits = limits;
        this.pathLen = pathLen;
    }

    /** A request for experiment privilege ({@code exppriv_exper.csr} of {@code pktlab init}). */
    public static Builder exppriv() {
        return new Builder(CertType.EXPPRIV);
    }

    /** A request for delegated privilege ({@code delpriv_exp_exper.csr}, {@code delpriv_rep_eop.csr}). */
    public static Builder delpriv(DelType... delTypes) {
        return new Builder(CertType.DELPRIV).delTypes(delTypes);
    }

    /** A request for any type. */
    public static Builder builder(CertType type) {
        return new Builder(type);
    }

    /**
     * Decodes a PKCS#10 request (DER or PEM) and verifies its self-signature.
     *
     * @throws CertException naming the failed check: {@code MALFORMED}, {@code BAD_SIGALG},
     *     {@code BAD_SUBJ_PUBKEY} (not Ed25519), {@code BAD_SIGNATURE}, {@code USING_UNUSED_FIELD}
     *     (an extension other than cert_info/cert_limit/basic constraints), or the cert_info,
     *     cert_limit, basic-constraints and del_type failures of certificates
     */
    public static Csr parse(byte[] derOrPem) throws CertException {
        byte[] der = derOrPem;
        if (Pem.isPem(derOrPem)) {
            try {
                der = Pem.decodeOne(Pem.text(derOrPem, 1), PEM_LABEL).der();
            } catch (IllegalArgumentException e) {
                throw new CertException(CertFailure.MALFORMED, e.getMessage(), e);
            }
        }
        if (der.length > Pem.MAX_OBJECT_BYTES) {
            throw new CertException(CertFailure.MALFORMED, "request of " + der.length + " bytes exceeds " + Pem.MAX_OBJECT_BYTES);
        }
        CertificationRequest req;
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(prim.getEncoded(ASN1Encoding.DER), der)) {
                throw new CertException(CertFailure.MALFORMED, "not canonical DER");
            }
            req = CertificationRequest.getInstance(prim);
            req.getCertificationRequestInfo().getAttributes();
        } catch (IOException | RuntimeException e) {
            throw new CertException(CertFailure.MALFORMED, "not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
        if (!CertDecoder.isEd25519(req.getSignatureAlgorithm())) {
            throw new CertException(CertFailure.BAD_SIGALG, "signature algorithm " + req.getSignatureAlgorithm().getAlgorithm() + " is not Ed25519");
        }
        CertificationRequestInfo cri = req.getCertificationRequestInfo();
        SubjectPublicKeyInfo spki = cri.getSubjectPublicKeyInfo();
        Ed25519PublicKey subject;
        try {
            subject = Ed25519PublicKey.fromSpki(spki.getEncoded(ASN1Encoding.DER));
        } catch (IOException | IllegalArgumentException e) {
            throw new CertException(CertFailure.BAD_SUBJ_PUBKEY, "requested key is not Ed25519 (" + spki.getAlgorithm().getAlgorithm() + ")", e);
        }
        byte[] sig = req.getSignature().getPadBits() == 0 ? req.getSignature().getOctets() : null;
        try {
            if (sig == null || sig.length != 64 || !subject.verify(cri.getEncoded(ASN1Encoding.DER), sig)) {
                throw new CertException(CertFailure.BAD_SIGNATURE, "self-signature does not verify");
            }
        } catch (IOException e) {
            throw new CertException(CertFailure.MALFORMED, "cannot re-encode the request", e);
        }
        Extensions exts = extensionRequest(cri);
        for (var oid : exts.getExtensionOIDs()) {
            if (!oid.equals(Profile.CERT_INFO) && !oid.equals(Profile.CERT_LIMIT) && !oid.equals(Extension.basicConstraints)) {
                throw new CertException(CertFailure.USING_UNUSED_FIELD, "requested extension " + oid + " is not allowed");
            }
        }
        Extension infoExt = exts.getExtension(Profile.CERT_INFO);
        if (infoExt == null) {
            throw new CertException(CertFailure.BAD_CERT_INFO, "no cert_info in the extensionRequest");
        }
        NameValues info = CertDecoder.packetLabPairs(infoExt, NameValues.Syntax.CERT_INFO, CertFailure.BAD_CERT_INFO, "cert_info");
        String token = info.get(CertTemplate.CERT_TYPE).orElseThrow(() -> new CertException(CertFailure.BAD_CERT_TYPE, "cert_info has no cert_type"));
        CertType type = CertType.fromToken(token)
                .orElseThrow(() -> new CertException(CertFailure.BAD_CERT_TYPE, "unknown cert_type \"" + token + "\""));
        Integer pathLen = pathLen(exts.getExtension(Extension.basicConstraints), type);
        Extension limitExt = exts.getExtension(Profile.CERT_LIMIT);
        CertLimits limits = CertLimits.NONE;
        if (limitExt != null) {
            if (!type.isAuthority()) {
                throw new CertException(CertFailure.BAD_CERT_LIMIT, "cert_limit is not allowed on " + type);
            }
            limits = CertLimits.decode(CertDecoder.packetLabPairs(limitExt, NameValues.Syntax.CERT_LIMIT, CertFailure.BAD_CERT_LIMIT, "cert_limit"));
        }
        Set<DelType> delTypes = CertDecoder.delTypes(info, type);
        return new Csr(der.clone(), subject, type, delTypes, info, limits, pathLen);
    }

    private static Extensions extensionRequest(CertificationRequestInfo cri) throws CertException {
        ASN1Set attrs = cri.getAttributes();
        if (attrs != null) {
            for (ASN1Encodable a : attrs) {
                Attribute attr;
                try {
                    attr = Attribute.getInstance(a);
                } catch (RuntimeException e) {
                    throw new CertException(CertFailure.MALFORMED, "malformed request attribute", e);
                }
                if (attr.getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
                    if (attr.getAttrValues().size() != 1) {
                        throw new CertException(CertFailure.MALFORMED, "extensionRequest must hold one value");
                    }
                    try {
                        return Extensions.getInstance(attr.getAttrValues().getObjectAt(0));
                    } catch (RuntimeException e) {
                        throw new CertException(CertFailure.USING_UNUSED_FIELD, "malformed or repeated requested extensions", e);
                    }
                }
            }
        }
        throw new CertException(CertFailure.BAD_CERT_INFO, "no extensionRequest with cert_info");
    }

    private static Integer pathLen(Extension ext, CertType type) throws CertException {
        if (ext == null) {
            return null;
        }
        if (!ext.isCritical()) {
            throw new CertException(CertFailure.BAD_BC, "requested basic constraints must be critical");
        }
        BasicConstraints bc;
        try {
            bc = BasicConstraints.getInstance(CertDecoder.value(ext).orElseThrow(() -> new IllegalArgumentException("not DER")));
        } catch (RuntimeException e) {
            throw new CertException(CertFailure.BAD_BC, "requested basic constraints not decodable", e);
        }
        if (bc.isCA() != type.isAuthority() || (bc.getPathLenConstraint() != null && !type.isAuthority())) {
            throw new CertException(CertFailure.BAD_BC, "requested basic constraints do not fit " + type);
        }
        if (bc.getPathLenConstraint() == null) {
            return null;
        }
        if (bc.getPathLenConstraint().bitLength() > 31) {
            throw new CertException(CertFailure.BAD_BC, "requested path length out of range");
        }
        return bc.getPathLenConstraint().intValue();
    }

    /** Reads a request file (PEM or DER). */
    public static Csr read(Path file) throws IOException, CertException {
        if (Files.size(file) > Pem.MAX_OBJECT_BYTES) {
            throw new IOException(file + ": larger than " + Pem.MAX_OBJECT_BYTES + " bytes, not a request");
        }
        return parse(Files.readAllBytes(file));
    }

    /** The requester's key: the subject of the certificate to issue. */
    public Ed25519PublicKey subject() {
        return subject;
    }

    /** The requested type. */
    public CertType type() {
        return type;
    }

    /** The requested delegation (delpriv only). */
    public Set<DelType> delTypes() {
        return delTypes;
    }

    /** The suggested cert_info. */
    public NameValues info() {
        return info;
    }

    /** The suggested limits. */
    public CertLimits limits() {
        return limits;
    }

    /** The requested path length, if any. */
    public OptionalInt pathLen() {
        return pathLen == null ? OptionalInt.empty() : OptionalInt.of(pathLen);
    }

    /** The DER encoding. */
    public byte[] der() {
        return der.clone();
    }

    /** The {@code -----BEGIN CERTIFICATE REQUEST-----} PEM text. */
    public String pem() {
        return Pem.encode(PEM_LABEL, der);
    }

    /** Writes {@link #pem()} atomically. */
    public void writePem(Path file, boolean replace) throws IOException {
        SecureFiles.writeAtomically(file, pem().getBytes(StandardCharsets.US_ASCII), false, replace);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Csr c && Arrays.equals(der, c.der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "Csr[" + type + (delTypes.isEmpty() ? "" : " " + delTypes) + ", subject=" + subject.keyId().hex().substring(0, 16) + "…]";
    }

    /** A request being prepared; {@link #signWith} signs it with the requester's own key. */
    public static final class Builder extends CertTemplate<Builder> {
        Builder(CertType type) {
            super(type);
        }

        /** Makes the request for {@code requester}'s key, signed by it. */
        public Csr signWith(Ed25519PrivateKey requester) {
            Objects.requireNonNull(requester, "requester");
            checkComplete();
            List<Extension> exts = new ArrayList<>();
            exts.add(Profile.packetLab(Profile.CERT_INFO, infoPairs()));
            NameValues limitPairs = limitPairs();
            if (!limitPairs.isEmpty()) {
                exts.add(Profile.packetLab(Profile.CERT_LIMIT, limitPairs));
            }
            if (pathLen != null) {
                exts.add(Profile.basicConstraints(type, pathLen));
            }
            var b = new PKCS10CertificationRequestBuilder(Profile.BLANK_NAME, SubjectPublicKeyInfo.getInstance(requester.publicKey().spki()));
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, new Extensions(exts.toArray(Extension[]::new)));
            try {
                return parse(b.build(Profile.signer(requester)).getEncoded());
            } catch (IOException e) {
                throw new IllegalStateException("cannot encode the request", e);
            } catch (CertException e) {
                throw new IllegalStateException("built an invalid request: " + e.getMessage(), e);
            }
        }
    }
}
