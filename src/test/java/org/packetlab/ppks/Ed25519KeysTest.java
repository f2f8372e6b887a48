package org.packetlab.ppks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class Ed25519KeysTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"k_eop", "k_ep", "k_exper", "k_xc"})
    void vectorKeysLoadAndRewriteByteIdentically(String name) {
        String privPem = Vectors.text("keys/" + name);
        String pubPem = Vectors.text("keys/" + name + ".pub");
        Ed25519PrivateKey priv = Ed25519PrivateKey.parsePem(privPem);
        Ed25519PublicKey pub = Ed25519PublicKey.parsePem(pubPem);
        assertThat(priv.publicKey()).isEqualTo(pub);
        assertThat(priv.pem()).isEqualTo(privPem);
        assertThat(pub.pem()).isEqualTo(pubPem);
    }

    @Test
    void brokerOperatorKeyLoadsAndRewrites() {
        String pem = Vectors.text("keys/caida_k_bop.pub");
        assertThat(Ed25519PublicKey.parsePem(pem).pem()).isEqualTo(pem);
    }

    @Test
    void keyIdIsSha256OfTheRawKey() throws Exception {
        Ed25519PublicKey pub = Vectors.pub("k_ep");
        byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(pub.raw());
        assertThat(pub.keyId().bytes()).isEqualTo(expected);
        // the agent_ep_ep certificate names k_ep in its SKI (d48dda9c... in the vector)
        assertThat(pub.keyId().hex()).startsWith("d48dda9cc1020cc3");
        assertThat(KeyId.fromHex(pub.keyId().hex())).isEqualTo(pub.keyId());
    }

    @Test
    void spkiHasTheReferenceLayout() {
        byte[] spki = Vectors.pub("k_eop").spki();
        assertThat(HexFormat.of().formatHex(spki, 0, 12)).isEqualTo("302a300506032b6570032100");
        assertThat(spki).hasSize(44);
        assertThat(HexFormat.of().formatHex(Vectors.key("k_eop").pkcs8(), 0, 16)).isEqualTo("302e020100300506032b657004220420");
    }

    @Test
    void signaturesAreDeterministicAndVerify() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] msg = "mread".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = key.sign(msg);
        assertThat(sig).hasSize(64).isEqualTo(key.sign(msg));
        assertThat(key.publicKey().verify(msg, sig)).isTrue();
        sig[0] ^= 1;
        assertThat(key.publicKey().verify(msg, sig)).isFalse();
    }

    @Test
    void convertsToAndFromJdkKeys() throws Exception {
        Ed25519PrivateKey key = Vectors.key("k_xc");
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(key.toJava());
        byte[] msg = {1, 2, 3};
        jdk.update(msg);
        byte[] sig = jdk.sign();
        assertThat(sig).isEqualTo(key.sign(msg));
        assertThat(Ed25519PrivateKey.fromJava(key.toJava())).isEqualTo(key);
        assertThat(Ed25519PublicKey.fromJava(key.publicKey().toJava())).isEqualTo(key.publicKey());
        assertThat(key.toJava().getAlgorithm()).isIn("EdDSA", "Ed25519");
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        Ed25519PrivateKey key = Vectors.key("k_exper");
        String seedB64 = Base64.getEncoder().encodeToString(key.pkcs8()).substring(22);
        String seedHex = HexFormat.of().formatHex(key.pkcs8()).substring(32);
        assertThat(key.toString()).contains(key.keyId().hex()).doesNotContain(seedB64).doesNotContain(seedHex);
    }

    @Test
    void encryptedKeyRoundTripsWithPassphraseOnly() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        String pem = key.pem("correct horse".toCharArray());
        assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        assertThat(Ed25519PrivateKey.isEncryptedPem(pem)).isTrue();
        assertThat(Ed25519PrivateKey.parsePem(pem, "correct horse".toCharArray())).isEqualTo(key);
        assertThatThrownBy(() -> Ed25519PrivateKey.parsePem(pem, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passphrase");
        assertThatThrownBy(() -> Ed25519PrivateKey.parsePem(pem)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsPbes2KeysWrittenByPythonCryptography() throws Exception {
        // written by Python cryptography's BestAvailableEncryption (what ppksman uses), passphrase "pktlab"
        String pem = new String(getClass().getResourceAsStream("/ppks/k_exper.pbes2.pem").readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(Ed25519PrivateKey.parsePem(pem, "pktlab".toCharArray())).isEqualTo(Vectors.key("k_exper"));
    }

    @Test
    void privateKeyFileIsOwnerOnlyAndNotOverwritten() throws Exception {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        Path file = dir.resolve("k_test");
        key.write(file, false);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Ed25519PrivateKey.read(file)).isEqualTo(key);
        Ed25519PrivateKey other = Ed25519PrivateKey.generate();
        assertThatThrownBy(() -> other.write(file, false)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Ed25519PrivateKey.read(file)).isEqualTo(key);
        other.write(file, true);
        assertThat(Ed25519PrivateKey.read(file)).isEqualTo(other);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void readsRawAndDerPublicKeys() throws Exception {
        Ed25519PublicKey pub = Vectors.pub("k_eop");
        Files.write(dir.resolve("raw"), pub.raw());
        Files.write(dir.resolve("der"), pub.spki());
        assertThat(Ed25519PublicKey.read(dir.resolve("raw"))).isEqualTo(pub);
        assertThat(Ed25519PublicKey.read(dir.resolve("der"))).isEqualTo(pub);
    }

    @Test
    void nonEd25519KeysAreRefused() throws Exception {
        var ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        var pair = ec.generateKeyPair();
        assertThatThrownBy(() -> Ed25519PublicKey.fromJava(pair.getPublic())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519PrivateKey.fromJava(pair.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an Ed25519");
        assertThatThrownBy(() -> Ed25519PublicKey.parsePem("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}
