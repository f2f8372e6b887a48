package org.packetlab.ppks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.NameValues;

/** Every decoding check of spec/certificates.md §4.1, each broken on its own, with the reference's failure name. */
@Timeout(20)
class CertDecodeTest {
    private final Ed25519PrivateKey signer = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey subject = Ed25519PrivateKey.generate();

    private byte[] forge(CertType type, Consumer<Forge> breakIt) {
        Forge f = Forge.of(type, subject.publicKey(), signer);
        breakIt.accept(f);
        return f.der();
    }

    private static void assertFails(byte[] der, CertFailure failure) {
        assertThatThrownBy(() -> Cert.parse(der))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).as(e.getMessage()).isEqualTo(failure));
    }

    @Test
    void forgeDefaultsAreValid() throws Exception {
        for (CertType t : CertType.values()) {
            Forge f = t == CertType.DELPRIV ? Forge.delpriv("exppriv", subject.publicKey(), signer) : Forge.of(t, subject.publicKey(), signer);
            assertThat(Cert.parse(f.der(), signer.publicKey()).type()).isEqualTo(t);
        }
    }

    @Test
    void nonEd25519SignatureIsBadSigalg() throws Exception {
        KeyPair ec = ecKeyPair();
        assertFails(forge(CertType.PUBCMD, f -> f.contentSigner = jca("SHA256withECDSA", ec)), CertFailure.BAD_SIGALG);
    }

    @Test
    void signatureIsCheckedOnlyWhenAnIssuerKeyIsGiven() throws Exception {
        byte[] der = forge(CertType.PUBCMD, f -> { });
        Cert.parse(der, signer.publicKey());
        Cert.parse(der);
        assertThatThrownBy(() -> Cert.parse(der, subject.publicKey()))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.failure()).isEqualTo(CertFailure.BAD_SIGNATURE));
    }

    @Test
    void version1IsBadVersion() {
        assertFails(forge(CertType.PUBCMD, f -> f.v1 = true), CertFailure.BAD_X509_VER);
    }

    @Test
    void unknownExtensionIsUsingUnusedField() {
        assertFails(forge(CertType.PUBCMD, f -> f.extra.add(Forge.unknownCritical("2.5.29.37"))), CertFailure.USING_UNUSED_FIELD);
        assertFails(forge(CertType.PUBCMD, f -> f.extra.add(Forge.unknownCritical("1.2.3.2"))), CertFailure.USING_UNUSED_FIELD);
    }

    @Test
    void allowedButIgnoredExtensionsAreAccepted() throws Exception {
        byte[] der = forge(CertType.PUBCMD, f -> f.extra.add(new Extension(Extension.cRLDistributionPoints, false, Forge.octets("x"))));
        assertThat(Cert.parse(der).type()).isEqualTo(CertType.PUBCMD);
    }

    @Test
    void certInfoProblemsAreBadCertInfo() {
        assertFails(forge(CertType.PUBCMD, f -> f.withInfo = false), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.infoCritical = false), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd"), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd;\0"), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd;cert_type=pubcmd;"), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd;a=b=c;"), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd;x=é;"), CertFailure.BAD_CERT_INFO);
    }

    @Test
    void certInfoMustBeASecondOctetString() {
        assertFails(forge(CertType.PUBCMD, f -> {
            f.withInfo = false;
            f.extra.add(new Extension(Profile.CERT_INFO, true, "cert_type=pubcmd;".getBytes(StandardCharsets.US_ASCII)));
        }), CertFailure.BAD_CERT_INFO);
        assertFails(forge(CertType.PUBCMD, f -> {
            f.withInfo = false;
            byte[] twice = concat(Forge.octets("cert_type=pubcmd;"), Forge.octets("a=b;"));
            f.extra.add(new Extension(Profile.CERT_INFO, true, twice));
        }), CertFailure.BAD_CERT_INFO);
    }

    @Test
    void unknownOrMissingTypeIsBadCertType() {
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=superuser;"), CertFailure.BAD_CERT_TYPE);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_desc=x;"), CertFailure.BAD_CERT_TYPE);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=PUBCMD;"), CertFailure.BAD_CERT_TYPE);
    }

    @Test
    void keyUsageMustBeExact() throws Exception {
        assertFails(forge(CertType.PUBCMD, f -> f.withKeyUsage = false), CertFailure.BAD_KEYUSAGE);
        assertFails(forge(CertType.PUBCMD, f -> f.keyUsage = KeyUsage.keyCertSign), CertFailure.BAD_KEYUSAGE);
        assertFails(forge(CertType.AGENT, f -> f.keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation), CertFailure.BAD_KEYUSAGE);
        assertFails(forge(CertType.EXPPRIV, f -> f.keyUsage = KeyUsage.digitalSignature), CertFailure.BAD_KEYUSAGE);
        assertFails(forge(CertType.EXPPRIV, f -> f.keyUsage = KeyUsage.keyCertSign | KeyUsage.decipherOnly), CertFailure.BAD_KEYUSAGE);
        Cert withCrl = Cert.parse(forge(CertType.EXPPRIV, f -> f.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign));
        assertThat(withCrl.newBuilder().signWith(signer).der()).isEqualTo(withCrl.der());
    }

    @Test
    void serialZeroIsBadSerialButNegativeSerialsAreTolerated() throws Exception {
        assertFails(forge(CertType.PUBCMD, f -> f.serial = BigInteger.ZERO), CertFailure.BAD_SERIAL);
        assertThat(Cert.parse(forge(CertType.PUBCMD, f -> f.serial = BigInteger.valueOf(-5))).serial()).isEqualTo(-5);
    }

    @Test
    void checksRunInTheReferenceOrder() {
        // wrong key usage (check 8) is reported before serial 0 (check 9) and a missing AKI (check 12)
        assertFails(forge(CertType.PUBCMD, f -> {
            f.serial = BigInteger.ZERO;
            f.keyUsage = KeyUsage.keyCertSign;
            f.withAki = false;
        }), CertFailure.BAD_KEYUSAGE);
        // an unknown extension (check 5) is reported before a bad cert_type (check 7)
        assertFails(forge(CertType.PUBCMD, f -> {
            f.info = "cert_type=x;";
            f.extra.add(Forge.unknownCritical("2.5.29.17"));
        }), CertFailure.USING_UNUSED_FIELD);
    }

    @Test
    void nonEd25519SubjectKeyIsBadSubjectKey() throws Exception {
        KeyPair ec = ecKeyPair();
        assertFails(forge(CertType.PUBCMD, f -> f.spki = SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded())), CertFailure.BAD_SUBJ_PUBKEY);
    }

    @Test
    void authorityKeyIdProblemsAreBadAid() {
        assertFails(forge(CertType.PUBCMD, f -> f.withAki = false), CertFailure.BAD_AID);
        assertFails(forge(CertType.PUBCMD, f -> f.akiCritical = true), CertFailure.BAD_AID);
    }

    @Test
    void subjectKeyIdProblemsAreBadSid() {
        assertFails(forge(CertType.PUBCMD, f -> f.withSki = false), CertFailure.BAD_SID);
        assertFails(forge(CertType.PUBCMD, f -> f.skiBytes = signer.keyId().bytes()), CertFailure.BAD_SID);
        assertFails(forge(CertType.PUBCMD, f -> f.skiBytes = Arrays.copyOf(subject.keyId().bytes(), 20)), CertFailure.BAD_SID);
    }

    @Test
    void basicConstraintsProblemsAreBadBc() {
        assertFails(forge(CertType.PUBCMD, f -> f.withBasicConstraints = false), CertFailure.BAD_BC);
        assertFails(forge(CertType.PUBCMD, f -> f.basicConstraintsCritical = false), CertFailure.BAD_BC);
        assertFails(forge(CertType.PUBCMD, f -> f.ca = true), CertFailure.BAD_BC);
        assertFails(forge(CertType.EXPPRIV, f -> f.ca = false), CertFailure.BAD_BC);
    }

    @Test
    void limitsOnlyOnPrivilegesAndWellFormed() {
        assertFails(forge(CertType.PUBCMD, f -> f.limit = "max_socket_count=1;"), CertFailure.BAD_CERT_LIMIT);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_socket_count=1"), CertFailure.BAD_CERT_LIMIT);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "a=1;a=2;"), CertFailure.BAD_CERT_LIMIT);
    }

    @Test
    void delTypeRequiredOnDelprivOnlyAndValid() throws Exception {
        assertFails(forge(CertType.DELPRIV, f -> { }), CertFailure.BAD_DEL_TYPE);
        assertFails(forge(CertType.PUBCMD, f -> f.info = "cert_type=pubcmd;del_type=exppriv;"), CertFailure.BAD_DEL_TYPE);
        assertFails(forge(CertType.DELPRIV, f -> f.info = "cert_type=delpriv;del_type=expprivs;"), CertFailure.BAD_DEL_TYPE);
        assertFails(forge(CertType.DELPRIV, f -> f.info = "cert_type=delpriv;del_type=exppriv,;"), CertFailure.BAD_DEL_TYPE);
        Cert repeated = Cert.parse(forge(CertType.DELPRIV, f -> f.info = "cert_type=delpriv;del_type=reppriv,exppriv,reppriv;"));
        assertThat(repeated.delTypes()).containsExactlyInAnyOrder(DelType.EXPPRIV, DelType.REPPRIV);
    }

    @Test
    void malformedLimitValuesNameTheLimit() {
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "monitor=abcd;"), CertFailure.BAD_MONITOR_DIGESTS);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_num_priority=-1;"), CertFailure.BAD_MAX_NUM_PRIORITY);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_socket_count=1x;"), CertFailure.BAD_MAX_SOCKET_COUNT);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_exp_period=18446744073709551616;"), CertFailure.BAD_MAX_EXP_PERIOD);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_send_byte=1.5;"), CertFailure.BAD_MAX_SEND_BYTE);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_send_pkt=a;"), CertFailure.BAD_MAX_SEND_PKT);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_recv_byte=a;"), CertFailure.BAD_MAX_RECV_BYTE);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_recv_pkt=a;"), CertFailure.BAD_MAX_RECV_PKT);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "valid_dest=pktlab.test;"), CertFailure.BAD_VALID_DEST);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "valid_dest=10.0.0.0/40;"), CertFailure.BAD_VALID_DEST);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "src_ip_spoofing=2;"), CertFailure.BAD_SRC_IP_SPOOFING);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_burst_rate_pkt=10/0;"), CertFailure.BAD_BURST_RATE);
        assertFails(forge(CertType.EXPPRIV, f -> f.limit = "max_burst_rate_byte=10;"), CertFailure.BAD_BURST_RATE);
    }

    @Test
    void referenceQuirksAreTolerated() throws Exception {
        Cert c = Cert.parse(forge(CertType.EXPPRIV, f -> f.limit = "max_send_pkt=;*monitor=zz;filter=nothex;max_recv_pkt=18446744073709551615;"));
        assertThat(c.limits().maxSendPkt()).hasValue(0);
        assertThat(c.limits().maxRecvPkt()).hasValue(-1L);
        assertThat(Long.toUnsignedString(c.limits().maxRecvPkt().getAsLong())).isEqualTo("18446744073709551615");
        assertThat(c.limits().aux()).containsExactly(new NameValues.Pair("*monitor", "zz"), new NameValues.Pair("filter", "nothex"));
        assertThat(c.limits().filters()).isEmpty();
    }

    @Test
    void garbageAndOversizeInputIsMalformed() {
        assertFails("-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII), CertFailure.MALFORMED);
        assertFails("-----BEGIN CERTIFICATE-----\nAAAA\n".getBytes(StandardCharsets.US_ASCII), CertFailure.MALFORMED);
        assertFails("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".getBytes(StandardCharsets.US_ASCII), CertFailure.MALFORMED);
        assertFails(new byte[0], CertFailure.MALFORMED);
        assertFails(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x30}, CertFailure.MALFORMED);
        byte[] good = forge(CertType.PUBCMD, f -> { });
        assertFails(Arrays.copyOf(good, good.length - 1), CertFailure.MALFORMED);
        assertFails(concat(good, new byte[] {0}), CertFailure.MALFORMED);
        assertFails(new byte[70 * 1024], CertFailure.MALFORMED);
        byte[] ber = good.clone();
        // a BOOLEAN TRUE written as 0x01 is valid BER but not DER
        int at = ChainVerifierTest.indexOf(ber, new byte[] {0x01, 0x01, (byte) 0xff});
        ber[at + 2] = 0x01;
        assertFails(ber, CertFailure.MALFORMED);
    }

    @Test
    void manyPemBlocksAreCapped() {
        String one = Pem.encode("CERTIFICATE", forge(CertType.PUBCMD, f -> { }));
        assertThatThrownBy(() -> Cert.parseAll(one.repeat(Cert.MAX_CERTS_PER_FILE + 1).getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(CertException.class, e -> assertThat(e.getMessage()).contains("more than 64"));
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static org.bouncycastle.operator.ContentSigner jca(String alg, KeyPair pair) {
        try {
            return new JcaContentSignerBuilder(alg).build(pair.getPrivate());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
