package org.packetlab.ppks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.ContentSigner;
import org.packetlab.wire.NameValues;

/** The ppksman certificate profile: OIDs and the exact encodings of spec/certificates.md §2. */
final class Profile {
    static final ASN1ObjectIdentifier CERT_INFO = new ASN1ObjectIdentifier("1.2.3.1");
    static final ASN1ObjectIdentifier CERT_LIMIT = new ASN1ObjectIdentifier("1.2.3.3");

    /** Extensions a PacketLab certificate may carry; anything else is {@code USING_UNUSED_FIELD}. */
    static final Set<ASN1ObjectIdentifier> ALLOWED_EXTENSIONS = Set.of(
            Extension.authorityKeyIdentifier, Extension.subjectKeyIdentifier, Extension.keyUsage,
            Extension.basicConstraints, Extension.cRLDistributionPoints, Extension.freshestCRL,
            Extension.authorityInfoAccess, Extension.subjectInfoAccess, CERT_INFO, CERT_LIMIT);

    static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);

    /** Issuer and subject name: CN=" " (one space, UTF8String); names play no role in PPKS. */
    static final X500Name BLANK_NAME = new X500Name(new RDN[] {new RDN(BCStyle.CN, new DERUTF8String(" "))});

    static final int KU_DIGITAL_SIGNATURE = KeyUsage.digitalSignature;
    static final int KU_KEY_CERT_SIGN = KeyUsage.keyCertSign;
    static final int KU_KEY_CERT_SIGN_CRL_SIGN = KeyUsage.keyCertSign | KeyUsage.cRLSign;

    private Profile() {}

    /** AKI with keyIdentifier only: {@code 30 22 80 20 <32 bytes>}, non-critical. */
    static Extension authorityKeyId(KeyId signer) {
        return ext(Extension.authorityKeyIdentifier, false,
                new DERSequence(new DERTaggedObject(false, 0, new DEROctetString(signer.bytes()))));
    }

    /** SKI: {@code 04 20 <32 bytes>}, non-critical. */
    static Extension subjectKeyId(KeyId subject) {
        return ext(Extension.subjectKeyIdentifier, false, new DEROctetString(subject.bytes()));
    }

    /** Key usage, critical: {@code 03 02 07 80} (digitalSignature) or {@code 03 02 02 04} (keyCertSign). */
    static Extension keyUsage(int bits) {
        return ext(Extension.keyUsage, true, new KeyUsage(bits));
    }

    static int defaultKeyUsage(CertType type) {
        return type.isAuthority() ? KU_KEY_CERT_SIGN : KU_DIGITAL_SIGNATURE;
    }

    /** Basic constraints, critical: {@code 30 00}, {@code 30 03 01 01 ff}, or with pathLen {@code 30 06 01 01 ff 02 01 nn}. */
    static Extension basicConstraints(CertType type, Integer pathLen) {
        BasicConstraints bc = !type.isAuthority() ? new BasicConstraints(false)
                : pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen);
        return ext(Extension.basicConstraints, true, bc);
    }

    /** A PacketLab extension, critical, its extnValue holding a second OCTET STRING with the ASCII pairs (§2.3). */
    static Extension packetLab(ASN1ObjectIdentifier oid, NameValues pairs) {
        return ext(oid, true, new DEROctetString(pairs.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    private static Extension ext(ASN1ObjectIdentifier oid, boolean critical, org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode extension " + oid, e);
        }
    }

    /** A Bouncy Castle content signer producing pure Ed25519 signatures with {@code key}. */
    static ContentSigner signer(Ed25519PrivateKey key) {
        return new ContentSigner() {
            private final ByteArrayOutputStream tbs = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return ED25519;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return key.sign(tbs.toByteArray());
            }
        };
    }
}
