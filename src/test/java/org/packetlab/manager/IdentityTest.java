package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.ExpExec;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.wire.Snikey;

@Timeout(10)
class IdentityTest {

    @Test
    void leafComesFirstWhateverTheFileOrder() {
        Identity id = Creds.controller();
        assertThat(id.tls().chain()).extracting(Cert::type).containsExactly(CertType.PUBCMD, CertType.EXPPRIV);
        assertThat(id.snikey().value()).hasSize(Snikey.GENERATED_LENGTH);
        assertThat(id.isDefault()).isFalse();
        assertThat(id.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void chainThatDoesNotReachTheTrustedOperatorIsRejected() {
        var stranger = Ed25519PrivateKey.generate().publicKey();
        assertThatThrownBy(() -> Identity.of(Creds.key("k_xc"), List.of(Creds.cert("pubcmd_exper_xc"), Creds.cert("exppriv_eop_exper")),
                List.of(stranger)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the controller chain does not verify against the trusted EOp keys");
        assertThatThrownBy(() -> Identity.of(Creds.key("k_ep"), List.of(Creds.cert("pubcmd_exper_xc")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void monitorDigestsFollowTheChain() {
        Digest a = Digest.sha256(new byte[] {1, 2});
        Digest b = Digest.sha256(new byte[] {3});
        Identity id = Creds.controllerWithMonitors(a, b, a);
        assertThat(id.monitorDigests()).containsExactly(a, b);
        assertThat(Creds.controller().monitorDigests()).isEmpty();
    }

    @Test
    void expExecEntryGivesSnikeyDefaultFlagAndVerifiedChain(@TempDir Path dir) throws IOException {
        Path exppriv = dir.resolve("exppriv_eop_exper.cert");
        Path pubcmd = dir.resolve("pubcmd_exper_xc.cert");
        Path eop = dir.resolve("k_eop.pub");
        Files.write(exppriv, Creds.vector("creds-reference/certs/exppriv_eop_exper.cert"));
        Files.write(pubcmd, Creds.vector("creds-reference/certs/pubcmd_exper_xc.cert"));
        Files.write(eop, Creds.vector("creds-reference/keys/k_eop.pub"));
        ExpExec entry = ExpExec.of(List.of(exppriv, pubcmd), List.of(eop)).withDefault(true).withSnikey(new Snikey("lab"));

        Identity id = Identity.fromExpExec(entry, Creds.key("k_xc"));

        assertThat(id.snikey()).isEqualTo(new Snikey("lab"));
        assertThat(id.isDefault()).isTrue();
        assertThat(id.trustedRoots()).containsExactly(Creds.pub("k_eop"));
        assertThat(id.tls().chain()).extracting(Cert::type).containsExactly(CertType.PUBCMD, CertType.EXPPRIV);
    }

    @Test
    void expExecEntryNamingABrokenFileFailsWithTheFileName(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.cert");
        Files.writeString(bad, "not a certificate");
        Path eop = dir.resolve("k_eop.pub");
        Files.write(eop, Creds.vector("creds-reference/keys/k_eop.pub"));
        ExpExec entry = ExpExec.of(List.of(bad), List.of(eop));
        assertThatThrownBy(() -> Identity.fromExpExec(entry, Creds.key("k_xc")))
                .isInstanceOf(IOException.class).hasMessageStartingWith(bad.toString());
    }
}
