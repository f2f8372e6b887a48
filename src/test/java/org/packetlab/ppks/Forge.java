package org.packetlab.ppks;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Makes certificates the builder refuses to make: each knob breaks one rule of the profile.
 * Defaults give a valid certificate of the profile.
 */
final class Forge {
    CertType type;
    String info;
    String limit;
    Ed25519PublicKey subject;
    Ed25519PrivateKey signer;
    BigInteger serial = BigInteger.ONE;
    Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
    Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
    Integer keyUsage;
    boolean withKeyUsage = true;
    boolean withBasicConstraints = true;
    boolean basicConstraintsCritical = true;
    Boolean ca;
    Integer pathLen;
    boolean infoCritical = true;
    boolean withInfo = true;
    boolean withAki = true;
    boolean akiCritical;
    boolean withSki = true;
    byte[] skiBytes;
    SubjectPublicKeyInfo spki;
    ContentSigner contentSigner;
    boolean v1;
    final List<Extension> extra = new ArrayList<>();

    private Forge(CertType type, Ed25519PublicKey subject, Ed25519PrivateKey signer) {
        this.type = type;
        this.info = "cert_type=" + type.token() + ";";
        this.subject = subject;
        this.signer = signer;
    }

    static Forge of(CertType type, Ed25519PublicKey subject, Ed25519PrivateKey signer) {
        return new Forge(type, subject, signer);
    }

    static Forge delpriv(String delType, Ed25519PublicKey subject, Ed25519PrivateKey signer) {
        Forge f = new Forge(CertType.DELPRIV, subject, signer);
        f.info = "cert_type=delpriv;del_type=" + delType + ";";
        return f;
    }

    byte[] der() {
        try {
            ContentSigner cs = contentSigner != null ? contentSigner : Profile.signer(signer);
            SubjectPublicKeyInfo key = spki != null ? spki : SubjectPublicKeyInfo.getInstance(subject.spki());
            if (v1) {
                return new X509v1CertificateBuilder(Profile.BLANK_NAME, serial, new Time(Date.from(notBefore)), new Time(Date.from(notAfter)),
                        Profile.BLANK_NAME, key).build(cs).getEncoded();
            }
            var b = new X509v3CertificateBuilder(Profile.BLANK_NAME, serial, new Time(Date.from(notBefore)), new Time(Date.from(notAfter)),
                    Profile.BLANK_NAME, key);
            if (withAki) {
                Extension aki = Profile.authorityKeyId(signer.keyId());
                b.addExtension(new Extension(aki.getExtnId(), akiCritical, aki.getExtnValue()));
            }
            if (withSki) {
                b.addExtension(skiBytes == null ? Profile.subjectKeyId(subject.keyId())
                        : new Extension(Extension.subjectKeyIdentifier, false, new DEROctetString(skiBytes).getEncoded()));
            }
            if (withKeyUsage) {
                b.addExtension(Profile.keyUsage(keyUsage != null ? keyUsage : Profile.defaultKeyUsage(type)));
            }
            if (withBasicConstraints) {
                boolean isCa = ca != null ? ca : type.isAuthority();
                BasicConstraints bc = isCa && pathLen != null ? new BasicConstraints(pathLen) : new BasicConstraints(isCa);
                b.addExtension(Extension.basicConstraints, basicConstraintsCritical, bc);
            }
            if (withInfo) {
                b.addExtension(new Extension(Profile.CERT_INFO, infoCritical, octets(info)));
            }
            if (limit != null) {
                b.addExtension(new Extension(Profile.CERT_LIMIT, true, octets(limit)));
            }
            for (Extension e : extra) {
                b.addExtension(e);
            }
            return b.build(cs).getEncoded();
        } catch (Exception e) {
            throw new AssertionError("cannot forge", e);
        }
    }

    Cert cert() {
        try {
            return Cert.parse(der());
        } catch (CertException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] octets(String text) {
        try {
            return new DEROctetString(text.getBytes(StandardCharsets.ISO_8859_1)).getEncoded();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static Extension unknownCritical(String oid) {
        return new Extension(new ASN1ObjectIdentifier(oid), true, octets("x"));
    }
}
