package org.packetlab.ppks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.packetlab.wire.NameValues;

@Timeout(10)
class CertTest {
    private static final Instant EPOCH = Instant.EPOCH;
    private static final Instant END_2038 = Instant.ofEpochSecond(2147483647L);

    @ParameterizedTest
    @CsvSource({
            "agent_ep_ep, k_ep, k_ep, AGENT",
            "agent_xc_xc, k_xc, k_xc, AGENT",
            "exppriv_eop_exper, k_eop, k_exper, EXPPRIV",
            "pubcmd_exper_xc, k_exper, k_xc, PUBCMD",
            "subcmd_eop_ep, k_eop, k_ep, SUBCMD"})
    void vectorCertificateParsesAndRebuildsByteIdentically(String name, String signer, String subject, CertType type) throws Exception {
        byte[] file = Vectors.bytes("certs/" + name + ".cert");
        Cert cert = Cert.parse(file, Vectors.pub(signer));
        assertThat(cert.type()).isEqualTo(type);
        assertThat(cert.subject()).isEqualTo(Vectors.pub(subject));
        assertThat(cert.subjectKeyId()).isEqualTo(Vectors.pub(subject).keyId());
        assertThat(cert.authorityKeyId()).isEqualTo(Vectors.pub(signer).keyId());
        assertThat(cert.notBefore()).isEqualTo(EPOCH);
        assertThat(cert.notAfter()).isEqualTo(END_2038);
        assertThat(cert.limits().isEmpty()).isTrue();
        assertThat(cert.info().toString()).isEqualTo("cert_type=" + type.token() + ";");
        assertThat(cert.pathLen()).isEqualTo(OptionalInt.empty());

        Cert rebuilt = cert.newBuilder().signWith(Vectors.key(signer));
        assertThat(rebuilt.der()).isEqualTo(cert.der());
        assertThat(rebuilt.pem()).isEqualTo(new String(file, StandardCharsets.US_ASCII));

        Cert fromScratch = Cert.builder(type).subject(Vectors.pub(subject)).serial(cert.serial())
                .validFrom(EPOCH).validUntil(END_2038).signWith(Vectors.key(signer));
        assertThat(fromScratch.der()).isEqualTo(cert.der());
    }

    @Test
    void everyLimitDecodesToItsType() throws Exception {
        Cert cert = Cert.parse(fixture("delpriv_limits_eop_exper.cert"), Vectors.pub("k_eop"));
        assertThat(cert.type()).isEqualTo(CertType.DELPRIV);
        assertThat(cert.delTypes()).containsExactly(DelType.EXPPRIV);
        assertThat(cert.description()).contains("lab 3 (2025)");
        assertThat(cert.pathLen()).hasValue(1);
        CertLimits l = cert.limits();
        assertThat(l.monitors()).containsExactly(Digest.fromHex("ab".repeat(32)));
        assertThat(l.maxNumPriority()).hasValue(5);
        assertThat(l.maxSocketCount()).hasValue(10);
        assertThat(l.maxExpPeriod()).hasValue(60_000_000_000L);
        assertThat(l.maxSendByte()).hasValue(1_000_000);
        assertThat(l.maxSendPkt()).hasValue(1000);
        assertThat(l.maxRecvByte()).hasValue(2_000_000);
        assertThat(l.maxRecvPkt()).hasValue(2000);
        assertThat(l.maxBurstRateByte()).containsExactly(new BurstRate(100_000, 1_000_000_000L), new BurstRate(500_000, 10_000_000_000L));
        assertThat(l.maxBurstRatePkt()).containsExactly(new BurstRate(100, 1_000_000_000L));
        assertThat(l.validDest()).hasValueSatisfying(d -> assertThat(d).hasSize(3));
        assertThat(l.allowsDestination(InetAddress.getByName("127.9.9.9"))).isTrue();
        assertThat(l.allowsDestination(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(l.allowsDestination(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(l.allowsDestination(InetAddress.getByName("::1"))).isTrue();
        assertThat(l.allowsDestination(InetAddress.getByName("::2"))).isFalse();
        assertThat(l.srcIpSpoofing()).contains(false);
        assertThat(l.aux()).containsExactly(new NameValues.Pair("note", "x"));
        assertThat(cert.newBuilder().signWith(Vectors.key("k_eop")).der()).isEqualTo(cert.der());
    }

    @Test
    void builderWritesWhatPythonCryptographyWritesForTheSameFields() throws Exception {
        Cert python = Cert.parse(fixture("delpriv_limits_eop_exper.cert"));
        Cert ours = Cert.delpriv(DelType.EXPPRIV).description("lab 3 (2025)")
                .subject(Vectors.pub("k_exper")).serial(7).validFrom(EPOCH).validUntil(END_2038)
                .monitor(Digest.fromHex("AB".repeat(32))).maxNumPriority(5).maxSocketCount(10)
                .maxExpPeriod(Duration.ofSeconds(60)).maxSendByte(1_000_000).maxSendPkt(1000)
                .maxRecvByte(2_000_000).maxRecvPkt(2000)
                .maxBurstRateByte(new BurstRate(100_000, 1_000_000_000L), new BurstRate(500_000, 10_000_000_000L))
                .maxBurstRatePkt(new BurstRate(100, 1_000_000_000L))
                .validDest("127.0.0.0/8", "::1", "10.1.0.0/16").srcIpSpoofing(false).auxLimit("note", "x")
                .pathLen(1).signWith(Vectors.key("k_eop"));
        assertThat(ours.pem()).isEqualTo(python.pem());
    }

    @Test
    void builderMakesAnExpprivANotebookUserWouldWrite() {
        Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
        Ed25519PrivateKey exper = Ed25519PrivateKey.generate();
        Instant now = Instant.parse("2025-01-02T03:04:05.678Z");
        Cert c = Cert.exppriv().subject(exper.publicKey()).validFrom(now).validFor(Duration.ofDays(30))
                .validDest("127.0.0.0/8").maxSocketCount(10).monitor(Digest.sha256(new byte[] {1}))
                .description("course lab").serial(42).signWith(eop);
        assertThat(c.notBefore()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(c.notAfter()).isEqualTo(Instant.parse("2025-02-01T03:04:05Z"));
        assertThat(c.isValidAt(now)).isTrue();
        assertThat(c.isValidAt(Instant.parse("2025-02-01T03:04:05.999Z"))).isTrue();
        assertThat(c.isValidAt(Instant.parse("2025-02-01T03:04:06Z"))).isFalse();
        assertThat(c.isSignedBy(eop.publicKey())).isTrue();
        assertThat(c.isSignedBy(exper.publicKey())).isFalse();
        assertThat(c.authorityKeyId()).isEqualTo(eop.keyId());
        assertThat(c.limits().pairs().toString())
                .isEqualTo("valid_dest=127.0.0.0/8;max_socket_count=10;monitor=" + Digest.sha256(new byte[] {1}).hex() + ";");
        assertThat(c.toX509().getSerialNumber()).isEqualTo(42);
    }

    @Test
    void builderRefusesWhatTheProfileForbids() {
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        assertThatThrownBy(() -> Cert.pubcmd().maxSocketCount(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("pubcmd");
        assertThatThrownBy(() -> Cert.agent().pathLen(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Cert.exppriv().delTypes(DelType.EXPPRIV)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Cert.exppriv().optionalLimit("max_socket_count", "1")).hasMessageContaining("crash");
        assertThatThrownBy(() -> Cert.exppriv().description("no;semicolons")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cert.exppriv().validDest("example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cert.exppriv().serial(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cert.agent().validFor(Duration.ofDays(1)).signWith(k)).hasMessageContaining("subject");
        assertThatThrownBy(() -> Cert.agent().subject(k.publicKey()).signWith(k)).hasMessageContaining("validUntil");
        assertThatThrownBy(() -> Cert.builder(CertType.DELPRIV).subject(k.publicKey()).validFor(Duration.ofDays(1)).signWith(k))
                .hasMessageContaining("delTypes");
        assertThatThrownBy(() -> Cert.exppriv().maxSocketCount(1).type(CertType.PUBCMD).subject(k.publicKey())
                .validFor(Duration.ofDays(1)).signWith(k)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void optionalAndAuxiliaryLimitsAreKept() throws Exception {
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        Cert c = Cert.exppriv().subject(k.publicKey()).validFor(Duration.ofDays(1))
                .optionalLimit("max_cpu", "3").auxLimit("site", "ucsd").signWith(k);
        assertThat(c.limits().aux()).containsExactly(new NameValues.Pair("*max_cpu", "3"), new NameValues.Pair("site", "ucsd"));
        assertThat(Cert.parse(c.pem().getBytes(StandardCharsets.US_ASCII)).limits()).isEqualTo(c.limits());
    }

    @Test
    void chainFileReadsEveryCertificateInOrder() throws Exception {
        Cert a = Vectors.cert("pubcmd_exper_xc");
        Cert b = Vectors.cert("exppriv_eop_exper");
        assertThat(Cert.parseAll(Cert.pem(List.of(a, b)).getBytes(StandardCharsets.US_ASCII))).containsExactly(a, b);
        assertThat(Cert.parseAll(a.der())).containsExactly(a);
    }

    @Test
    void ipPrefixesUseTheIntendedMaskSemantics() throws Exception {
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.getByName("2001:db8:7fff::1"))).isTrue();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(InetAddress.getByName("2001:db8:8000::1"))).isFalse();
        assertThat(IpPrefix.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(IpPrefix.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] fixture(String name) throws Exception {
        try (var in = CertTest.class.getResourceAsStream("/ppks/" + name)) {
            return in.readAllBytes();
        }
    }
}
