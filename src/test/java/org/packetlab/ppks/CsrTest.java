package org.packetlab.ppks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.OptionalInt;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CsrTest {

    @Test
    void readsARequestWrittenLikePpksmanAndWritesTheSameBytes() throws Exception {
        byte[] file = CertTest.fixture("exppriv_exper.csr");
        Csr python = Csr.parse(file);
        assertThat(python.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(python.subject()).isEqualTo(Vectors.pub("k_exper"));
        assertThat(python.info().toString()).isEqualTo("cert_type=exppriv;cert_desc=please;");
        assertThat(python.limits().maxSocketCount()).hasValue(10);
        assertThat(python.pathLen()).hasValue(0);
        Csr ours = Csr.exppriv().description("please").maxSocketCount(10).validDest("127.0.0.1").pathLen(0)
                .signWith(Vectors.key("k_exper"));
        assertThat(ours.pem()).isEqualTo(new String(file, StandardCharsets.US_ASCII));
    }

    @Test
    void theThreeInitRequestsRoundTrip() throws Exception {
        Ed25519PrivateKey exper = Ed25519PrivateKey.generate();
        Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
        Csr exppriv = Csr.exppriv().signWith(exper);
        Csr delExp = Csr.delpriv(DelType.EXPPRIV).signWith(exper);
        Csr delRep = Csr.delpriv(DelType.REPPRIV).signWith(eop);
        assertThat(exppriv.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n");
        for (Csr c : new Csr[] {exppriv, delExp, delRep}) {
            assertThat(Csr.parse(c.pem().getBytes(StandardCharsets.US_ASCII))).isEqualTo(c);
        }
        assertThat(delExp.delTypes()).containsExactly(DelType.EXPPRIV);
        assertThat(delRep.info().toString()).isEqualTo("cert_type=delpriv;del_type=reppriv;");
        assertThat(delRep.subject()).isEqualTo(eop.publicKey());
        assertThat(exppriv.pathLen()).isEqualTo(OptionalInt.empty());
    }

    @Test
    void signerIssuesFromTheRequestWithOverrides() throws Exception {
        Ed25519PrivateKey exper = Ed25519PrivateKey.generate();
        Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
        Csr req = Csr.exppriv().maxSocketCount(100).validDest("0.0.0.0/0").description("want").signWith(exper);
        Cert granted = Cert.fromCsr(req).maxSocketCount(5).validFor(Duration.ofDays(7)).signWith(eop);
        assertThat(granted.subject()).isEqualTo(exper.publicKey());
        assertThat(granted.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(granted.limits().maxSocketCount()).hasValue(5);
        assertThat(granted.limits().validDest()).hasValueSatisfying(d -> assertThat(d.get(0).toString()).isEqualTo("0.0.0.0/0"));
        assertThat(granted.description()).contains("want");
        assertThat(granted.isSignedBy(eop.publicKey())).isTrue();

        Cert delegated = Cert.fromCsr(req).type(CertType.DELPRIV).delTypes(DelType.EXPPRIV).pathLen(2)
                .validFor(Duration.ofDays(1)).signWith(eop);
        assertThat(delegated.delTypes()).containsExactly(DelType.EXPPRIV);
        assertThat(delegated.pathLen()).hasValue(2);

        assertThatThrownBy(() -> Cert.fromCsr(req).type(CertType.PUBCMD).validFor(Duration.ofDays(1)).signWith(eop))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pubcmd");
    }

    @Test
    void tamperedRequestFailsItsSelfSignature() {
        byte[] der = Csr.exppriv().description("abc").signWith(Ed25519PrivateKey.generate()).der();
        int at = ChainVerifierTest.indexOf(der, "abc".getBytes(StandardCharsets.US_ASCII));
        der[at] = 'x';
        assertThatThrownBy(() -> Csr.parse(der))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).isEqualTo(CertFailure.BAD_SIGNATURE));
    }

    @Test
    void nonEd25519RequestIsRefused() throws Exception {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        var pair = g.generateKeyPair();
        var b = new JcaPKCS10CertificationRequestBuilder(Profile.BLANK_NAME, pair.getPublic());
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                new Extensions(new Extension(Profile.CERT_INFO, true, Forge.octets("cert_type=exppriv;"))));
        byte[] der = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())).getEncoded();
        assertThatThrownBy(() -> Csr.parse(der))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).isEqualTo(CertFailure.BAD_SIGALG));
    }

    @Test
    void requestRulesMirrorCertificateRules() {
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        assertThatThrownBy(() -> Csr.builder(CertType.DELPRIV).signWith(k)).hasMessageContaining("delTypes");
        assertThatThrownBy(() -> Csr.builder(CertType.SUBCMD).maxSocketCount(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Csr.parse("not a csr".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).isEqualTo(CertFailure.MALFORMED));
        assertThatThrownBy(() -> Csr.parse(Vectors.bytes("certs/subcmd_eop_ep.cert")))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).isEqualTo(CertFailure.MALFORMED));
    }
}
