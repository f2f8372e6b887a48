package org.packetlab.ppks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The verifier against every verified outcome of spec/certificates.md §5.4, the vector chains, and forged chains. */
@Timeout(20)
class ChainVerifierTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final VerifyMode EC = VerifyMode.ENDPOINT_AUTH_CONTROLLER;
    private static final VerifyMode CE = VerifyMode.CONTROLLER_AUTH_ENDPOINT;
    private static final VerifyMode AGENT = VerifyMode.AGENT;

    private final Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey bop = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey exper = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey x1 = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey xc = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey ep = Ed25519PrivateKey.generate();

    private Cert.Builder valid(Cert.Builder b) {
        return b.validFrom(NOW.minus(Duration.ofDays(1))).validFor(Duration.ofDays(30));
    }

    private Cert pubcmd(Ed25519PrivateKey signer, Ed25519PrivateKey subject) {
        return valid(Cert.pubcmd()).subject(subject.publicKey()).signWith(signer);
    }

    private Cert exppriv(Ed25519PrivateKey signer, Ed25519PrivateKey subject, Integer pathLen) {
        Cert.Builder b = valid(Cert.exppriv()).subject(subject.publicKey());
        if (pathLen != null) {
            b.pathLen(pathLen);
        }
        return b.signWith(signer);
    }

    private Cert delpriv(DelType d, Ed25519PrivateKey signer, Ed25519PrivateKey subject) {
        return valid(Cert.delpriv(d)).subject(subject.publicKey()).signWith(signer);
    }

    private Cert subcmd(Ed25519PrivateKey signer, Ed25519PrivateKey subject) {
        return valid(Cert.subcmd()).subject(subject.publicKey()).signWith(signer);
    }

    private Cert agent(Ed25519PrivateKey signer, Ed25519PrivateKey subject) {
        return valid(Cert.agent()).subject(subject.publicKey()).signWith(signer);
    }

    private static Verdict verify(VerifyMode mode, List<Cert> chain, Ed25519PrivateKey... roots) {
        List<Ed25519PublicKey> keys = new ArrayList<>();
        for (Ed25519PrivateKey r : roots) {
            keys.add(r.publicKey());
        }
        return ChainVerifier.of(mode, keys).verify(chain, NOW);
    }

    private static void assertVerified(Verdict v, int length) {
        assertThat(v).as(v.describe()).isInstanceOf(Verdict.Verified.class);
        assertThat(((Verdict.Verified) v).chain()).hasSize(length);
    }

    private static void assertRejected(Verdict v, ChainFailure failure, int index) {
        assertThat(v).as(v.describe()).isInstanceOf(Verdict.Rejected.class);
        Verdict.Rejected r = (Verdict.Rejected) v;
        assertThat(r.failure()).as(r.describe()).isEqualTo(failure);
        assertThat(r.index()).as(r.describe()).isEqualTo(index);
    }

    // ---- §5.4, row by row ----

    @Test
    void controllerChainVerifiesWithItsRootWithoutRootsAndNotWithAnotherRoot() {
        List<Cert> chain = List.of(pubcmd(exper, xc), exppriv(eop, exper, null));
        assertVerified(verify(EC, chain, eop), 2);
        assertThat(((Verdict.Verified) verify(EC, chain, eop)).root()).contains(eop.publicKey());
        assertVerified(verify(EC, chain), 2);
        assertRejected(verify(EC, chain, bop), ChainFailure.NO_MATCHING_SIGN_KEY, 1);
    }

    @Test
    void controllerChainWithLeafNotFirstIsUnexpected() {
        assertRejected(verify(EC, List.of(exppriv(eop, exper, null), pubcmd(exper, xc)), eop), ChainFailure.UNEXPECTED_CERT, 0);
    }

    @Test
    void pubcmdAloneIsNotEnough() {
        assertRejected(verify(EC, List.of(pubcmd(exper, xc)), eop), ChainFailure.NOT_ENOUGH_CERT, -1);
    }

    @Test
    void delegationBelowTheExpprivFollowsPathLen() {
        Cert pub = pubcmd(x1, xc);
        Cert del = delpriv(DelType.EXPPRIV, exper, x1);
        assertVerified(verify(EC, List.of(pub, del, exppriv(eop, exper, null)), eop), 3);
        assertRejected(verify(EC, List.of(pub, del, exppriv(eop, exper, 0)), eop), ChainFailure.PATHLEN_EXCEEDED, 2);
        assertVerified(verify(EC, List.of(pub, del, exppriv(eop, exper, 1)), eop), 3);
        assertVerified(verify(EC, List.of(pubcmd(exper, xc), exppriv(eop, exper, 0)), eop), 2);
    }

    @Test
    void orderAfterTheLeafAndUnrelatedExtrasDoNotMatter() {
        Cert pub = pubcmd(x1, xc);
        Cert del = delpriv(DelType.EXPPRIV, exper, x1);
        Cert top = exppriv(eop, exper, null);
        Verdict v = verify(EC, List.of(pub, top, subcmd(eop, ep), del), eop);
        assertVerified(v, 3);
        assertThat(((Verdict.Verified) v).chain()).containsExactly(pub, del, top);
        assertThat(((Verdict.Verified) v).publishableChannel()).isEqualTo(eop.keyId());
    }

    @Test
    void endpointChainRows() {
        assertVerified(verify(CE, List.of(subcmd(eop, ep)), eop), 1);
        assertRejected(verify(CE, List.of(subcmd(eop, ep)), bop), ChainFailure.NO_MATCHING_SIGN_KEY, 0);
        List<Cert> delegated = List.of(subcmd(bop, ep), delpriv(DelType.REPPRIV, eop, bop));
        assertVerified(verify(CE, delegated, eop), 2);
        assertThat(((Verdict.Verified) verify(CE, delegated, eop)).subscribableChannels()).containsExactly(bop.keyId(), eop.keyId());
        assertVerified(verify(CE, delegated, bop), 1);
        assertVerified(verify(CE, delegated), 2);
        assertRejected(verify(CE, List.of(subcmd(bop, ep), delpriv(DelType.EXPPRIV, eop, bop)), eop), ChainFailure.END_OF_PHASES, 1);
    }

    @Test
    void agentRows() {
        Cert self = agent(xc, xc);
        assertVerified(verify(AGENT, List.of(self)), 1);
        assertVerified(verify(AGENT, List.of(self), xc), 1);
        assertRejected(verify(AGENT, List.of(self), eop), ChainFailure.NO_MATCHING_SIGN_KEY, 0);
        assertRejected(verify(AGENT, List.of(self, agent(ep, ep))), ChainFailure.TOO_MANY_CERT, -1);
    }

    @Test
    void longerRepresentationChainsEndAtTheRoot() {
        Ed25519PrivateKey d2 = Ed25519PrivateKey.generate();
        List<Cert> chain = List.of(subcmd(d2, ep), delpriv(DelType.REPPRIV, bop, d2), delpriv(DelType.REPPRIV, eop, bop));
        assertVerified(verify(CE, chain, eop), 3);
        assertThat(((Verdict.Verified) verify(CE, chain, eop)).subscribableChannels()).containsExactly(d2.keyId(), bop.keyId(), eop.keyId());
    }

    // ---- the reference vectors ----

    @Test
    void vectorChainsVerifyAsTheReferenceSays() {
        Ed25519PublicKey root = Vectors.pub("k_eop");
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        Verdict controller = ChainVerifier.of(EC, root).verify(List.of(Vectors.cert("pubcmd_exper_xc"), Vectors.cert("exppriv_eop_exper")), at);
        assertVerified(controller, 2);
        assertThat(((Verdict.Verified) controller).publishableChannel()).isEqualTo(root.keyId());
        Verdict endpoint = ChainVerifier.of(CE, root).verify(List.of(Vectors.cert("subcmd_eop_ep")), at);
        assertVerified(endpoint, 1);
        assertThat(((Verdict.Verified) endpoint).subscribableChannels()).containsExactly(root.keyId());
        assertVerified(ChainVerifier.of(AGENT).verify(List.of(Vectors.cert("agent_xc_xc")), at), 1);
        assertVerified(ChainVerifier.of(AGENT).verify(List.of(Vectors.cert("agent_ep_ep")), at), 1);
        assertVerified(ChainVerifier.of(AGENT, Vectors.pub("k_xc")).verify(List.of(Vectors.cert("agent_xc_xc")), at), 1);
        assertRejected(ChainVerifier.of(EC, Vectors.pub("caida_k_bop"))
                .verify(List.of(Vectors.cert("pubcmd_exper_xc"), Vectors.cert("exppriv_eop_exper")), at), ChainFailure.NO_MATCHING_SIGN_KEY, 1);
        // the vectors expire at 2038-01-19T03:14:07Z
        assertRejected(ChainVerifier.of(CE, root).verify(List.of(Vectors.cert("subcmd_eop_ep")), Instant.parse("2038-01-19T03:14:08Z")),
                ChainFailure.EXPIRED_CERT, 0);
    }

    @Test
    void clockSuppliesNowWhenNoTimeIsGiven() {
        List<Cert> chain = List.of(Vectors.cert("subcmd_eop_ep"));
        ChainVerifier v = ChainVerifier.of(CE, Vectors.pub("k_eop"));
        assertVerified(v.withClock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).verify(chain), 1);
        assertRejected(v.withClock(Clock.fixed(Instant.parse("2040-01-01T00:00:00Z"), ZoneOffset.UTC)).verify(chain), ChainFailure.EXPIRED_CERT, 0);
    }

    // ---- forged and broken chains ----

    @Test
    void wrongRootIsRefusedAtTheTop() {
        assertRejected(verify(EC, List.of(pubcmd(exper, xc), exppriv(bop, exper, null)), eop), ChainFailure.NO_MATCHING_SIGN_KEY, 1);
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() {
        Cert old = Cert.exppriv().subject(exper.publicKey()).validFrom(NOW.minus(Duration.ofDays(10)))
                .validUntil(NOW.minusSeconds(1)).signWith(eop);
        assertRejected(verify(EC, List.of(pubcmd(exper, xc), old), eop), ChainFailure.EXPIRED_CERT, 1);
        Cert future = Cert.pubcmd().subject(xc.publicKey()).validFrom(NOW.plusSeconds(1)).validFor(Duration.ofDays(1)).signWith(exper);
        assertRejected(verify(EC, List.of(future, exppriv(eop, exper, null)), eop), ChainFailure.EXPIRED_CERT, 0);
    }

    @Test
    void tamperedSignatureOrTbsBreaksTheLinkToTheSigner() throws Exception {
        byte[] der = pubcmd(exper, xc).der();
        byte[] badSig = der.clone();
        badSig[badSig.length - 1] ^= 1;
        Cert top = exppriv(eop, exper, null);
        assertRejected(verify(EC, List.of(Cert.parse(badSig), top), eop), ChainFailure.BAD_CERT, 0);

        Forge f = Forge.of(CertType.PUBCMD, xc.publicKey(), exper);
        f.serial = java.math.BigInteger.valueOf(0x1111);
        byte[] tbs = f.der();
        int at = indexOf(tbs, new byte[] {0x02, 0x02, 0x11, 0x11});
        tbs[at + 3] = 0x12;
        assertRejected(verify(EC, List.of(Cert.parse(tbs), top), eop), ChainFailure.BAD_CERT, 0);

        byte[] topDer = top.der();
        topDer[topDer.length - 5] ^= 0x40;
        assertRejected(verify(EC, List.of(pubcmd(exper, xc), Cert.parse(topDer)), eop), ChainFailure.BAD_CERT, 1);
    }

    @Test
    void wrongTypeForItsPlaceIsUnexpected() {
        assertRejected(verify(EC, List.of(subcmd(exper, xc), exppriv(eop, exper, null)), eop), ChainFailure.UNEXPECTED_CERT, 0);
        assertRejected(verify(EC, List.of(pubcmd(exper, xc), pubcmd(eop, exper)), eop), ChainFailure.UNEXPECTED_CERT, 1);
        assertRejected(verify(CE, List.of(pubcmd(eop, ep)), eop), ChainFailure.UNEXPECTED_CERT, 0);
        assertRejected(verify(AGENT, List.of(subcmd(xc, xc))), ChainFailure.UNEXPECTED_CERT, 0);
        // a reppriv delegation cannot stand in for an exppriv delegation below the exppriv
        assertRejected(verify(EC, List.of(pubcmd(x1, xc), delpriv(DelType.REPPRIV, exper, x1), exppriv(eop, exper, null)), eop),
                ChainFailure.UNEXPECTED_CERT, 1);
    }

    @Test
    void mismatchedKeyIdsFindNoSigner() {
        // the pubcmd claims a signer (AKI) for which no certificate is in the list
        assertRejected(verify(EC, List.of(pubcmd(x1, xc), exppriv(eop, exper, null)), eop), ChainFailure.NO_MATCHING_SIGN_KEY, 0);
    }

    @Test
    void aCertificateSignedByAnotherKeyThanItsAkiSaysIsBadCert() throws Exception {
        Forge f = Forge.of(CertType.PUBCMD, xc.publicKey(), exper);
        f.contentSigner = Profile.signer(x1);
        assertRejected(verify(EC, List.of(Cert.parse(f.der()), exppriv(eop, exper, null)), eop), ChainFailure.BAD_CERT, 0);
    }

    @Test
    void rootWithTheRightKeyIdButBadSignatureIsBadCert() throws Exception {
        byte[] top = exppriv(eop, exper, null).der();
        top[top.length - 3] ^= 1;
        assertRejected(verify(EC, List.of(pubcmd(exper, xc), Cert.parse(top)), eop), ChainFailure.BAD_CERT, 1);
    }

    @Test
    void undecodableCertificateAnywhereInTheListIsBadCert() {
        Ed25519PublicKey root = eop.publicKey();
        List<byte[]> chain = List.of(pubcmd(exper, xc).der(), exppriv(eop, exper, null).der(), "garbage".getBytes(StandardCharsets.US_ASCII));
        Verdict v = ChainVerifier.of(EC, root).verifyEncoded(chain, NOW);
        assertRejected(v, ChainFailure.BAD_CERT, 2);
        assertThat(((Verdict.Rejected) v).reason()).contains("MALFORMED");
        Forge zero = Forge.of(CertType.SUBCMD, ep.publicKey(), eop);
        zero.serial = java.math.BigInteger.ZERO;
        Verdict z = ChainVerifier.of(CE, root).verifyEncoded(List.of(zero.der()), NOW);
        assertRejected(z, ChainFailure.BAD_CERT, 0);
        assertThat(((Verdict.Rejected) z).reason()).contains("BAD_SERIAL");
    }

    static Stream<Arguments> forgedLeaves() {
        return Stream.of(
                Arguments.of("wrong key usage", (Consumer<Forge>) f -> f.keyUsage = KeyUsage.keyCertSign, CertFailure.BAD_KEYUSAGE),
                Arguments.of("CA basic constraints on a leaf", (Consumer<Forge>) f -> f.ca = true, CertFailure.BAD_BC),
                Arguments.of("non-critical basic constraints", (Consumer<Forge>) f -> f.basicConstraintsCritical = false, CertFailure.BAD_BC),
                Arguments.of("no cert_info", (Consumer<Forge>) f -> f.withInfo = false, CertFailure.BAD_CERT_INFO),
                Arguments.of("non-critical cert_info", (Consumer<Forge>) f -> f.infoCritical = false, CertFailure.BAD_CERT_INFO),
                Arguments.of("unknown extension", (Consumer<Forge>) f -> f.extra.add(Forge.unknownCritical("2.5.29.37")), CertFailure.USING_UNUSED_FIELD),
                Arguments.of("serial 0", (Consumer<Forge>) f -> f.serial = java.math.BigInteger.ZERO, CertFailure.BAD_SERIAL),
                Arguments.of("SKI of another key", (Consumer<Forge>) f -> f.skiBytes = new byte[32], CertFailure.BAD_SID),
                Arguments.of("no AKI", (Consumer<Forge>) f -> f.withAki = false, CertFailure.BAD_AID),
                Arguments.of("version 1", (Consumer<Forge>) f -> f.v1 = true, CertFailure.BAD_X509_VER),
                Arguments.of("EC subject key", (Consumer<Forge>) f -> f.spki = ecSpki(), CertFailure.BAD_SUBJ_PUBKEY),
                Arguments.of("ECDSA signature", (Consumer<Forge>) f -> f.contentSigner = ecSigner(), CertFailure.BAD_SIGALG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgedLeaves")
    void forgedLeafIsBadCertNamingTheBrokenRule(String what, Consumer<Forge> breakIt, CertFailure rule) {
        Forge f = Forge.of(CertType.SUBCMD, ep.publicKey(), eop);
        breakIt.accept(f);
        Verdict v = ChainVerifier.of(CE, eop.publicKey()).verifyEncoded(List.of(f.der()), NOW);
        assertRejected(v, ChainFailure.BAD_CERT, 0);
        assertThat(((Verdict.Rejected) v).reason()).startsWith(rule.name());
    }

    private static SubjectPublicKeyInfo ecSpki() {
        return SubjectPublicKeyInfo.getInstance(ecPair().getPublic().getEncoded());
    }

    private static ContentSigner ecSigner() {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(ecPair().getPrivate());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair ecPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void veryLongChainsAreRefusedBeforeAnyWork() {
        List<Cert> chain = new ArrayList<>();
        chain.add(subcmd(eop, ep));
        for (int i = 0; i < ChainVerifier.MAX_CHAIN_LENGTH; i++) {
            chain.add(chain.get(0));
        }
        Verdict v = verify(CE, chain, eop);
        assertRejected(v, ChainFailure.TOO_MANY_CERT, -1);
        assertThat(v.describe()).contains("16");
    }

    @Test
    void aLongButAllowedChainVerifies() {
        List<Ed25519PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i < ChainVerifier.MAX_CHAIN_LENGTH; i++) {
            keys.add(Ed25519PrivateKey.generate());
        }
        List<Cert> chain = new ArrayList<>();
        chain.add(subcmd(keys.get(0), ep));
        for (int i = 1; i < keys.size(); i++) {
            chain.add(delpriv(DelType.REPPRIV, keys.get(i), keys.get(i - 1)));
        }
        assertVerified(verify(CE, chain, keys.get(keys.size() - 1)), ChainVerifier.MAX_CHAIN_LENGTH);
    }

    @Test
    void aCycleOfCertificatesEnds() {
        // a and b sign each other: the walk uses each certificate once, so it stops
        Ed25519PrivateKey a = Ed25519PrivateKey.generate();
        Ed25519PrivateKey b = Ed25519PrivateKey.generate();
        List<Cert> chain = List.of(subcmd(a, ep), delpriv(DelType.REPPRIV, b, a), delpriv(DelType.REPPRIV, a, b));
        assertRejected(verify(CE, chain, eop), ChainFailure.NO_MATCHING_SIGN_KEY, 2);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + HexFormat.of().formatHex(needle));
    }
}
