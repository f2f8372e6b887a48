package org.packetlab.ppks;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.packetlab.wire.NameValues;

/**
 * Decodes a DER certificate with the checks of {@code pktlab_decode_certificate} and
 * {@code pktlab_decode_cert_detail}, in the reference's order (spec/certificates.md §4.1).
 *
 * <p>Before those checks the input must be one canonical DER certificate of at most 64 KiB
 * ({@link CertFailure#MALFORMED} otherwise): lengths are checked against the bytes present before
 * anything is allocated, and a non-canonical encoding could make two parties disagree about what
 * was signed.
 */
final class CertDecoder {
    private CertDecoder() {}

    /** The structural parts of a certificate, before any PacketLab check. */
    private record Parts(ASN1Sequence tbs, AlgorithmIdentifier outerAlg, ASN1BitString signature, int version,
                         ASN1Encodable serial, ASN1Encodable tbsAlg, ASN1Encodable validity, ASN1Encodable spki,
                         boolean uniqueIds, ASN1Sequence extensions) {}

    static Cert decode(byte[] der, Ed25519PublicKey issuerKey) throws CertException {
        Parts p = structure(der);
        // 1. outer signature algorithm
        if (!isEd25519(p.outerAlg)) {
            throw new CertException(CertFailure.BAD_SIGALG, "signature algorithm " + p.outerAlg.getAlgorithm() + " is not Ed25519");
        }
        byte[] tbs = encode(p.tbs);
        byte[] sig = signatureBytes(p.signature);
        // 2. signature, when an issuer key is given
        if (issuerKey != null && (sig == null || !issuerKey.verify(tbs, sig))) {
            throw new CertException(CertFailure.BAD_SIGNATURE, "signature does not verify with key " + issuerKey.keyId());
        }
        // 3. version
        if (p.version != 2) {
            throw new CertException(CertFailure.BAD_X509_VER, "version " + (p.version + 1) + ", need 3");
        }
        // 4. TBS signature algorithm
        AlgorithmIdentifier tbsAlg = algorithm(p.tbsAlg);
        if (tbsAlg == null || !isEd25519(tbsAlg)) {
            throw new CertException(CertFailure.BAD_SIGALG, "TBS signature algorithm is not Ed25519");
        }
        // 5. unique ids, extensions present and allowed, each once
        Map<ASN1ObjectIdentifier, Extension> exts = extensions(p);
        // 6. cert_info
        Extension infoExt = exts.get(Profile.CERT_INFO);
        if (infoExt == null) {
            throw new CertException(CertFailure.BAD_CERT_INFO, "no cert_info extension (1.2.3.1)");
        }
        NameValues info = packetLabPairs(infoExt, NameValues.Syntax.CERT_INFO, CertFailure.BAD_CERT_INFO, "cert_info");
        // 7. cert_type
        String typeToken = info.get("cert_type").orElseThrow(() -> new CertException(CertFailure.BAD_CERT_TYPE, "cert_info has no cert_type"));
        CertType type = CertType.fromToken(typeToken)
                .orElseThrow(() -> new CertException(CertFailure.BAD_CERT_TYPE, "unknown cert_type \"" + typeToken + "\""));
        // 8. key usage
        int keyUsage = keyUsage(exts.get(Extension.keyUsage), type);
        // 9. serial
        BigInteger serial = ASN1Integer.getInstance(p.serial).getValue();
        if (serial.signum() == 0) {
            throw new CertException(CertFailure.BAD_SERIAL, "serial number is 0");
        }
        // 10. validity
        Instant[] validity = validity(p.validity);
        // 11. subject key
        Ed25519PublicKey subject = subjectKey(p.spki);
        // 12. AKI
        KeyId aki = authorityKeyId(exts.get(Extension.authorityKeyIdentifier));
        // 13. SKI
        KeyId ski = subjectKeyId(exts.get(Extension.subjectKeyIdentifier), subject);
        // 14. basic constraints
        Integer pathLen = basicConstraints(exts.get(Extension.basicConstraints), type);
        // 15. cert_limit
        Extension limitExt = exts.get(Profile.CERT_LIMIT);
        NameValues limitPairs = null;
        if (limitExt != null) {
            if (!type.isAuthority()) {
                throw new CertException(CertFailure.BAD_CERT_LIMIT, "cert_limit is not allowed on " + type);
            }
            limitPairs = packetLabPairs(limitExt, NameValues.Syntax.CERT_LIMIT, CertFailure.BAD_CERT_LIMIT, "cert_limit");
        }
        // 16. del_type
        Set<DelType> delTypes = delTypes(info, type);
        // decode_cert_detail: the limit values
        CertLimits limits = limitPairs == null ? CertLimits.NONE : CertLimits.decode(limitPairs);
        return new Cert(der.clone(), tbs, sig, type, serial, validity[0], validity[1], subject, ski, aki, keyUsage, pathLen,
                delTypes, info, limitExt != null, limits);
    }

    private static Parts structure(byte[] der) throws CertException {
        if (der.length > Pem.MAX_OBJECT_BYTES) {
            throw new CertException(CertFailure.MALFORMED, "certificate of " + der.length + " bytes exceeds " + Pem.MAX_OBJECT_BYTES);
        }
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
            if (!Arrays.equals(prim.getEncoded(ASN1Encoding.DER), der)) {
                throw new CertException(CertFailure.MALFORMED, "not canonical DER");
            }
            ASN1Sequence outer = ASN1Sequence.getInstance(prim);
            if (outer.size() != 3) {
                throw new CertException(CertFailure.MALFORMED, "certificate SEQUENCE has " + outer.size() + " elements, need 3");
            }
            ASN1Sequence tbs = ASN1Sequence.getInstance(outer.getObjectAt(0));
            AlgorithmIdentifier alg = AlgorithmIdentifier.getInstance(outer.getObjectAt(1));
            ASN1BitString sig = ASN1BitString.getInstance(outer.getObjectAt(2));
            int i = 0;
            int version = 0;
            if (tbs.size() > 0 && tbs.getObjectAt(0) instanceof ASN1TaggedObject v) {
                if (v.getTagClass() != BERTags.CONTEXT_SPECIFIC || v.getTagNo() != 0 || !v.isExplicit()) {
                    throw new CertException(CertFailure.MALFORMED, "bad version field");
                }
                BigInteger value = ASN1Integer.getInstance(v.getExplicitBaseObject()).getValue();
                version = value.bitLength() > 31 ? Integer.MAX_VALUE : value.intValue();
                i++;
            }
            if (tbs.size() < i + 6) {
                throw new CertException(CertFailure.MALFORMED, "TBSCertificate has too few fields");
            }
            ASN1Encodable serial = ASN1Integer.getInstance(tbs.getObjectAt(i++));
            ASN1Encodable tbsAlg = ASN1Sequence.getInstance(tbs.getObjectAt(i++));
            ASN1Sequence.getInstance(tbs.getObjectAt(i++));
            ASN1Encodable validity = ASN1Sequence.getInstance(tbs.getObjectAt(i++));
            ASN1Sequence.getInstance(tbs.getObjectAt(i++));
            ASN1Encodable spki = ASN1Sequence.getInstance(tbs.getObjectAt(i++));
            boolean uniqueIds = false;
            ASN1Sequence extensions = null;
            int lastTag = 0;
            for (; i < tbs.size(); i++) {
                if (!(tbs.getObjectAt(i) instanceof ASN1TaggedObject t) || t.getTagClass() != BERTags.CONTEXT_SPECIFIC
                        || t.getTagNo() <= lastTag || t.getTagNo() > 3) {
                    throw new CertException(CertFailure.MALFORMED, "unexpected field after subjectPublicKeyInfo");
                }
                lastTag = t.getTagNo();
                if (lastTag == 3) {
                    extensions = ASN1Sequence.getInstance(t, true);
                } else {
                    uniqueIds = true;
                }
            }
            return new Parts(tbs, alg, sig, version, serial, tbsAlg, validity, spki, uniqueIds, extensions);
        } catch (IOException | RuntimeException e) {
            throw new CertException(CertFailure.MALFORMED, "not a DER X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(ASN1Encodable value) throws CertException {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new CertException(CertFailure.MALFORMED, "cannot re-encode", e);
        }
    }

    private static byte[] signatureBytes(ASN1BitString bits) {
        return bits.getPadBits() == 0 && bits.getOctets().length == 64 ? bits.getOctets() : null;
    }

    private static AlgorithmIdentifier algorithm(ASN1Encodable value) {
        try {
            return AlgorithmIdentifier.getInstance(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isEd25519(AlgorithmIdentifier alg) {
        return Profile.ED25519.getAlgorithm().equals(alg.getAlgorithm()) && alg.getParameters() == null;
    }

    private static Map<ASN1ObjectIdentifier, Extension> extensions(Parts p) throws CertException {
        if (p.uniqueIds) {
            throw new CertException(CertFailure.USING_UNUSED_FIELD, "issuer/subject unique IDs are not allowed");
        }
        if (p.extensions == null || p.extensions.size() == 0) {
            throw new CertException(CertFailure.USING_UNUSED_FIELD, "no extensions");
        }
        Map<ASN1ObjectIdentifier, Extension> out = new HashMap<>();
        for (ASN1Encodable e : p.extensions) {
            Extension ext;
            try {
                ext = Extension.getInstance(e);
            } catch (RuntimeException bad) {
                throw new CertException(CertFailure.USING_UNUSED_FIELD, "malformed extension", bad);
            }
            if (!Profile.ALLOWED_EXTENSIONS.contains(ext.getExtnId())) {
                throw new CertException(CertFailure.USING_UNUSED_FIELD, "extension " + ext.getExtnId() + " is not allowed");
            }
            if (out.put(ext.getExtnId(), ext) != null) {
                throw new CertException(CertFailure.USING_UNUSED_FIELD, "extension " + ext.getExtnId() + " appears twice");
            }
        }
        return out;
    }

    /** The extension value parsed as exactly one canonical DER object, or empty. */
    static Optional<ASN1Primitive> value(Extension ext) {
        byte[] octets = ext.getExtnValue().getOctets();
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(octets);
            return Arrays.equals(prim.getEncoded(ASN1Encoding.DER), octets) ? Optional.of(prim) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The name-value pairs inside a PacketLab extension (spec/certificates.md §2.3). */
    static NameValues packetLabPairs(Extension ext, NameValues.Syntax syntax, CertFailure failure, String what) throws CertException {
        if (!ext.isCritical()) {
            throw new CertException(failure, what + " extension must be critical");
        }
        ASN1Primitive inner = value(ext).orElse(null);
        if (!(inner instanceof ASN1OctetString octets)) {
            throw new CertException(failure, what + " value is not a single DER OCTET STRING");
        }
        byte[] bytes = octets.getOctets();
        for (byte b : bytes) {
            if (b == 0) {
                throw new CertException(failure, what + " contains a NUL byte");
            }
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        try {
            return NameValues.parse(text, syntax);
        } catch (IllegalArgumentException e) {
            throw new CertException(failure, e.getMessage(), e);
        }
    }

    private static int keyUsage(Extension ext, CertType type) throws CertException {
        if (ext == null) {
            throw new CertException(CertFailure.BAD_KEYUSAGE, "no key usage extension");
        }
        ASN1Primitive v = value(ext).orElse(null);
        if (!(v instanceof ASN1BitString bits) || bits.getBytes().length > 2) {
            throw new CertException(CertFailure.BAD_KEYUSAGE, "key usage is not a BIT STRING");
        }
        int ku = bits.intValue();
        boolean ok = type.isAuthority()
                ? ku == Profile.KU_KEY_CERT_SIGN || ku == Profile.KU_KEY_CERT_SIGN_CRL_SIGN
                : ku == Profile.KU_DIGITAL_SIGNATURE;
        if (!ok) {
            throw new CertException(CertFailure.BAD_KEYUSAGE, String.format("key usage bits 0x%x are wrong for %s (need %s)", ku, type,
                    type.isAuthority() ? "keyCertSign[+cRLSign]" : "digitalSignature only"));
        }
        return ku;
    }

    private static Instant[] validity(ASN1Encodable value) throws CertException {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(value);
            if (seq.size() != 2) {
                throw new IllegalArgumentException("validity needs 2 times");
            }
            return new Instant[] {Time.getInstance(seq.getObjectAt(0)).getDate().toInstant(),
                    Time.getInstance(seq.getObjectAt(1)).getDate().toInstant()};
        } catch (RuntimeException e) {
            throw new CertException(CertFailure.BAD_VALIDITY, "validity not decodable: " + e.getMessage(), e);
        }
    }

    private static Ed25519PublicKey subjectKey(ASN1Encodable value) throws CertException {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(value);
            if (!isEd25519(spki.getAlgorithm())) {
                throw new CertException(CertFailure.BAD_SUBJ_PUBKEY, "subject key algorithm " + spki.getAlgorithm().getAlgorithm() + " is not Ed25519");
            }
            ASN1BitString key = spki.getPublicKeyData();
            if (key.getPadBits() != 0 || key.getOctets().length != Ed25519PublicKey.LENGTH) {
                throw new CertException(CertFailure.BAD_SUBJ_PUBKEY, "subject key is not 32 bytes");
            }
            return Ed25519PublicKey.fromRaw(key.getOctets());
        } catch (RuntimeException e) {
            throw new CertException(CertFailure.BAD_SUBJ_PUBKEY, "subject key not decodable", e);
        }
    }

    private static KeyId authorityKeyId(Extension ext) throws CertException {
        if (ext == null) {
            throw new CertException(CertFailure.BAD_AID, "no authority key identifier");
        }
        if (ext.isCritical()) {
            throw new CertException(CertFailure.BAD_AID, "authority key identifier must be non-critical");
        }
        try {
            ASN1Primitive v = value(ext).orElseThrow(() -> new IllegalArgumentException("not DER"));
            byte[] id = AuthorityKeyIdentifier.getInstance(v).getKeyIdentifierObject() == null ? null
                    : AuthorityKeyIdentifier.getInstance(v).getKeyIdentifierObject().getOctets();
            if (id == null || id.length != KeyId.LENGTH) {
                throw new CertException(CertFailure.BAD_AID, "authority keyIdentifier missing or not 32 bytes");
            }
            return KeyId.of(id);
        } catch (RuntimeException e) {
            throw new CertException(CertFailure.BAD_AID, "authority key identifier not decodable", e);
        }
    }

    private static KeyId subjectKeyId(Extension ext, Ed25519PublicKey subject) throws CertException {
        if (ext == null) {
            throw new CertException(CertFailure.BAD_SID, "no subject key identifier");
        }
        if (ext.isCritical()) {
            throw new CertException(CertFailure.BAD_SID, "subject key identifier must be non-critical");
        }
        ASN1Primitive v = value(ext).orElse(null);
        if (!(v instanceof ASN1OctetString id) || id.getOctets().length != KeyId.LENGTH) {
            throw new CertException(CertFailure.BAD_SID, "subject key identifier is not a 32-byte OCTET STRING");
        }
        if (!subject.keyId().matches(id.getOctets())) {
            throw new CertException(CertFailure.BAD_SID, "subject key identifier is not the key id of the subject key");
        }
        return subject.keyId();
    }

    private static Integer basicConstraints(Extension ext, CertType type) throws CertException {
        if (ext == null) {
            throw new CertException(CertFailure.BAD_BC, "no basic constraints");
        }
        if (!ext.isCritical()) {
            throw new CertException(CertFailure.BAD_BC, "basic constraints must be critical");
        }
        BasicConstraints bc;
        try {
            bc = BasicConstraints.getInstance(value(ext).orElseThrow(() -> new IllegalArgumentException("not DER")));
        } catch (RuntimeException e) {
            throw new CertException(CertFailure.BAD_BC, "basic constraints not decodable", e);
        }
        BigInteger pathLen = bc.getPathLenConstraint();
        if (type.isAuthority() != bc.isCA()) {
            throw new CertException(CertFailure.BAD_BC, type + " needs cA=" + type.isAuthority());
        }
        if (pathLen == null) {
            return null;
        }
        if (!type.isAuthority()) {
            throw new CertException(CertFailure.BAD_BC, type + " must not have a path length");
        }
        if (pathLen.signum() < 0 || pathLen.bitLength() > 31) {
            throw new CertException(CertFailure.BAD_BC, "path length " + pathLen + " out of range");
        }
        return pathLen.intValue();
    }

    static Set<DelType> delTypes(NameValues info, CertType type) throws CertException {
        Optional<String> value = info.get("del_type");
        if (type != CertType.DELPRIV) {
            if (value.isPresent()) {
                throw new CertException(CertFailure.BAD_DEL_TYPE, "del_type is only allowed on delpriv");
            }
            return Set.of();
        }
        if (value.isEmpty()) {
            throw new CertException(CertFailure.BAD_DEL_TYPE, "delpriv needs del_type");
        }
        Set<DelType> out = EnumSet.noneOf(DelType.class);
        // repeated items are tolerated, as by the reference (it ORs the bits)
        for (String item : value.get().split(",", -1)) {
            out.add(DelType.fromToken(item).orElseThrow(
                    () -> new CertException(CertFailure.BAD_DEL_TYPE, "del_type item \"" + item + "\" is not exppriv or reppriv")));
        }
        return Collections.unmodifiableSet(out);
    }
}
