package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import picocli.CommandLine;

/** {@code pktlab key|csr|cert}: run through {@link Main}'s command line, output captured. */
@Timeout(30)
class PrivilegeCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path p(String name) {
        return dir.resolve(name);
    }

    @BeforeEach
    void copyVectors() throws IOException {
        Files.createDirectories(p("keys"));
        Files.createDirectories(p("certs"));
        for (String k : new String[] {"k_eop", "k_ep", "k_exper", "k_xc"}) {
            copy("keys/" + k);
            copy("keys/" + k + ".pub");
        }
        copy("keys/caida_k_bop.pub");
        for (String c : new String[] {"agent_ep_ep", "agent_xc_xc", "exppriv_eop_exper", "pubcmd_exper_xc", "subcmd_eop_ep"}) {
            copy("certs/" + c + ".cert");
        }
    }

    private void copy(String path) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/vectors/creds-reference/" + path)) {
            Files.write(p(path), in.readAllBytes());
        }
    }

    @Test
    void keyGenWritesOwnerOnlyFilesAndNeverReplacesWithoutForce() throws Exception {
        Path keys = p("home/keys");
        assertThat(run("key", "gen", "k_test", "--dir", keys.toString())).as(err.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("k_test")))).isEqualTo("rw-------");
        Ed25519PrivateKey first = Ed25519PrivateKey.read(keys.resolve("k_test"));
        assertThat(out.toString()).contains(first.keyId().hex());
        assertThat(out.toString()).doesNotContain(Files.readString(keys.resolve("k_test")).lines().skip(1).findFirst().orElseThrow());

        assertThat(run("key", "gen", "k_test", "--dir", keys.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("exists").contains("--force");
        assertThat(Ed25519PrivateKey.read(keys.resolve("k_test"))).isEqualTo(first);

        assertThat(run("key", "gen", "k_test", "--dir", keys.toString(), "--force")).isZero();
        assertThat(Ed25519PrivateKey.read(keys.resolve("k_test"))).isNotEqualTo(first);
        assertThat(Ed25519PrivateKey.read(keys.resolve("k_test")).publicKey().pem()).isEqualTo(Files.readString(keys.resolve("k_test.pub")));
    }

    @Test
    void keyShowPrintsOnlyPublicInformation() throws Exception {
        Ed25519PrivateKey k = Ed25519PrivateKey.read(p("keys/k_eop"));
        String secret = Base64.getEncoder().encodeToString(k.pkcs8()).substring(22);
        for (String f : new String[] {"keys/k_eop", "keys/k_eop.pub"}) {
            assertThat(run("key", "show", p(f).toString())).as(err.toString()).isZero();
            assertThat(out.toString()).contains(k.keyId().hex()).contains(k.publicKey().pem()).doesNotContain(secret).doesNotContain("PRIVATE");
        }
    }

    @Test
    void encryptedKeysNeedTheirPassphrase() throws Exception {
        Files.writeString(p("pass"), "s3cret\n");
        assertThat(run("key", "gen", "k_enc", "--dir", dir.toString(), "--passphrase-file", p("pass").toString())).as(err.toString()).isZero();
        assertThat(Files.readString(p("k_enc"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(run("cert", "sign", "--type", "agent", "--subject", p("k_enc.pub").toString(), "--key", p("k_enc").toString(),
                "--valid-for", "1d", "--out", p("a.cert").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("encrypted").contains("--passphrase-file");
        assertThat(run("cert", "sign", "--type", "agent", "--subject", p("k_enc.pub").toString(), "--key", p("k_enc").toString(),
                "--valid-for", "1d", "--out", p("a.cert").toString(), "--passphrase-file", p("pass").toString())).as(err.toString()).isZero();
        assertThat(Cert.read(p("a.cert")).isSelfIssued()).isTrue();
    }

    @Test
    void theInitRequestsAreCreatedAndShown() throws Exception {
        assertThat(run("csr", "create", "--type", "exppriv", "--key", p("keys/k_exper").toString(), "--out", p("exppriv_exper.csr").toString()))
                .as(err.toString()).isZero();
        assertThat(run("csr", "create", "--type", "delpriv", "--del-type", "exppriv", "--key", p("keys/k_exper").toString(),
                "--out", p("delpriv_exp_exper.csr").toString())).as(err.toString()).isZero();
        assertThat(run("csr", "create", "--type", "delpriv", "--del-type", "reppriv", "--key", p("keys/k_eop").toString(),
                "--out", p("delpriv_rep_eop.csr").toString())).as(err.toString()).isZero();
        assertThat(Csr.read(p("delpriv_rep_eop.csr")).delTypes()).containsExactly(DelType.REPPRIV);
        assertThat(run("csr", "show", p("delpriv_exp_exper.csr").toString())).isZero();
        assertThat(out.toString()).contains("delpriv (delegates exppriv)").contains(Ed25519PrivateKey.read(p("keys/k_exper")).keyId().hex());
        assertThat(run("csr", "create", "--type", "delpriv", "--key", p("keys/k_exper").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("delTypes");
    }

    @Test
    void signShowAndVerifyAnExperimentChain() throws Exception {
        assertThat(run("cert", "sign", "--type", "exppriv", "--subject", p("keys/k_exper.pub").toString(), "--key", p("keys/k_eop").toString(),
                "--valid-for", "30d", "--valid-dest", "127.0.0.0/8", "--max-socket-count", "10", "--max-exp-period", "1h",
                "--max-burst-rate-pkt", "100/1s", "--desc", "lab 3", "--out", p("exppriv.cert").toString())).as(err.toString()).isZero();
        assertThat(run("cert", "sign", "--type", "pubcmd", "--subject", p("keys/k_xc.pub").toString(), "--key", p("keys/k_exper").toString(),
                "--valid-for", "30d", "--out", p("pubcmd.cert").toString())).as(err.toString()).isZero();

        assertThat(run("cert", "show", p("exppriv.cert").toString())).isZero();
        assertThat(out.toString()).contains("exppriv").contains("valid_dest:").contains("127.0.0.0/8").contains("max_socket_count:")
                .contains("3600000000000 ns").contains("100/1000000000").contains("lab 3").contains("valid now");

        assertThat(run("cert", "verify", "endpoint-auth-controller", "--root", p("keys/k_eop.pub").toString(),
                p("pubcmd.cert").toString(), p("exppriv.cert").toString())).as(out.toString()).isZero();
        assertThat(out.toString()).contains("[0]").contains("chain position 0").contains("[1]").contains("VERIFIED");

        assertThat(run("cert", "verify", "endpoint-auth-controller", "--root", p("keys/caida_k_bop.pub").toString(),
                p("pubcmd.cert").toString(), p("exppriv.cert").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("[1]").contains("REJECTED: NO_MATCHING_SIGN_KEY");
        assertThat(err.toString()).contains("chain rejected").contains("NO_MATCHING_SIGN_KEY at certificate 1");

        assertThat(run("cert", "verify", "endpoint-auth-controller", "--root", p("keys/k_eop.pub").toString(),
                p("exppriv.cert").toString(), p("pubcmd.cert").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("UNEXPECTED_CERT");
    }

    @Test
    void signFromARequestWithOverrides() throws Exception {
        assertThat(run("csr", "create", "--type", "exppriv", "--key", p("keys/k_exper").toString(), "--max-socket-count", "100",
                "--desc", "please", "--out", p("req.csr").toString())).isZero();
        assertThat(run("cert", "sign", "--csr", p("req.csr").toString(), "--key", p("keys/k_eop").toString(),
                "--valid-from", "2025-01-01", "--valid-until", "2025-02-01T00:00:00Z", "--max-socket-count", "5", "--serial", "77",
                "--out", p("granted.cert").toString())).as(err.toString()).isZero();
        Cert c = Cert.read(p("granted.cert"));
        assertThat(c.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(c.limits().maxSocketCount()).hasValue(5);
        assertThat(c.description()).contains("please");
        assertThat(c.serial()).isEqualTo(77);
        assertThat(c.notAfter()).isEqualTo(java.time.Instant.parse("2025-02-01T00:00:00Z"));
    }

    @Test
    void vectorChainsVerifyFromTheCommandLine() {
        assertThat(run("cert", "verify", "endpoint-auth-controller", "--root", p("keys/k_eop.pub").toString(),
                p("certs/pubcmd_exper_xc.cert").toString(), p("certs/exppriv_eop_exper.cert").toString())).as(out.toString()).isZero();
        assertThat(run("cert", "verify", "controller-auth-endpoint", "--root", p("keys/k_eop.pub").toString(),
                p("certs/subcmd_eop_ep.cert").toString())).as(out.toString()).isZero();
        assertThat(run("cert", "verify", "agent", p("certs/agent_xc_xc.cert").toString())).isZero();
        assertThat(run("cert", "verify", "agent", p("certs/agent_ep_ep.cert").toString())).isZero();
        assertThat(run("cert", "verify", "agent", "--at", "2040-01-01", p("certs/agent_ep_ep.cert").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("EXPIRED_CERT");
    }

    @Test
    void garbageCertificateFileIsRejectedWithTheReason() throws Exception {
        Files.writeString(p("junk.cert"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThat(run("cert", "verify", "agent", p("junk.cert").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("MALFORMED");
        assertThat(run("cert", "show", p("junk.cert").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("MALFORMED");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("cert", "sign", "--type", "superuser", "--subject", p("keys/k_xc.pub").toString(), "--key", p("keys/k_eop").toString(),
                "--valid-for", "1d", "--out", p("x.cert").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown type");
        assertThat(run("cert", "verify", "sideways", p("certs/agent_xc_xc.cert").toString())).isEqualTo(2);
        assertThat(run("cert", "sign", "--type", "agent", "--key", p("keys/k_eop").toString(), "--valid-for", "1d", "--out", "x")).isEqualTo(2);
    }

    @Test
    void helpTextsCarryExamples() {
        for (String[] cmd : new String[][] {{"key", "gen"}, {"key", "show"}, {"csr", "create"}, {"csr", "show"},
                {"cert", "sign"}, {"cert", "show"}, {"cert", "verify"}}) {
            assertThat(run(cmd[0], cmd[1], "--help")).isZero();
            assertThat(out.toString()).contains("Usage: pktlab " + cmd[0] + " " + cmd[1]).contains("Example");
        }
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("key").contains("csr").contains("cert");
    }
}
