package org.packetlab.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Ed25519 provider PpksTls installs for JSSE: chosen first, same signatures as the JDK's, refusals intact. */
@Timeout(30)
class Ed25519SignaturesTest {
    private static final byte[] MESSAGE = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);

    @Test
    void jsseStyleLookupsSignWithThePacketLabProviderAndMatchTheJdk() throws Exception {
        PpksTls.client(org.packetlab.ppks.VerifyMode.AGENT); // loading PpksTls installs the provider
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();

        Signature ours = Signature.getInstance("Ed25519");
        ours.initSign(pair.getPrivate());
        ours.update(MESSAGE);
        byte[] signature = ours.sign();

        Signature jdk = Signature.getInstance("Ed25519", "SunEC");
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        assertThat(ours.getProvider().getName()).isEqualTo(Ed25519Signatures.NAME);
        assertThat(signature).isEqualTo(jdk.sign());
    }

    @Test
    void verificationAcceptsGoodSignaturesAndRefusesAlteredOnes() throws Exception {
        PpksTls.client(org.packetlab.ppks.VerifyMode.AGENT);
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519", "SunEC").generateKeyPair();
        Signature jdk = Signature.getInstance("Ed25519", "SunEC");
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        byte[] signature = jdk.sign();

        Signature ours = Signature.getInstance("Ed25519");
        ours.initVerify(pair.getPublic());
        ours.update(MESSAGE);
        assertThat(ours.verify(signature)).isTrue();
        assertThat(ours.getProvider().getName()).isEqualTo(Ed25519Signatures.NAME);

        signature[5] ^= 1;
        ours.initVerify(pair.getPublic());
        ours.update(MESSAGE);
        assertThat(ours.verify(signature)).isFalse();
    }

    @Test
    void keysOfOtherAlgorithmsFallBackToTheNextProvider() throws Exception {
        PpksTls.client(org.packetlab.ppks.VerifyMode.AGENT);
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        Signature s = Signature.getInstance("EdDSA");
        s.initSign(ed448.getPrivate());
        s.update(MESSAGE);
        assertThat(s.sign()).hasSize(114);
        assertThat(s.getProvider().getName()).isNotEqualTo(Ed25519Signatures.NAME);
    }
}
