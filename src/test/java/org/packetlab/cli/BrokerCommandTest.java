package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import picocli.CommandLine;

/** {@code pktlab broker}: its help, its identity in the home, and a run on loopback stopped by interruption. */
@Timeout(60)
class BrokerCommandTest {
    @TempDir
    Path dir;

    /** Collects output and completes {@code serving} once the broker says it serves. */
    private static final class Output extends Writer {
        final StringBuilder text = new StringBuilder();
        final CompletableFuture<String> serving = new CompletableFuture<>();

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
            if (text.indexOf("; Ctrl-C stops it.") >= 0) {
                serving.complete(text.toString());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        synchronized String text() {
            return text.toString();
        }
    }

    @Test
    void helpDescribesThePortsAndTheIdentity() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("broker", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--pub-listen=ADDR:PORT", "--sub-listen=ADDR:PORT", "--key=PRIV", "--cert=AGENT_CERT",
                "--home=DIR", "20556", "20557", "keys/k_brk", "certs/agent_bop_brk.cert", "Ctrl-C");
    }

    @Test
    void keyWithoutCertIsAUsageError() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("broker", "--key", "k");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--cert");
    }

    @Test
    void firstRunCreatesTheBrokerIdentityServesOnLoopbackAndStopsWhenInterrupted() throws Exception {
        Path home = dir.resolve("home");
        Output out = new Output();
        CompletableFuture<Integer> code = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            code.complete(cl.execute("broker", "--home", home.toString(), "--pub-listen", "127.0.0.1:0", "--sub-listen", "127.0.0.1:0"));
        });
        String text = out.serving.get(30, TimeUnit.SECONDS);
        PktlabHome h = PktlabHome.at(home);
        assertThat(text).contains("Created " + h.privateKeyFile("k_brk"), "Created " + h.privateKeyFile("k_bop"),
                "Created " + h.certFile("agent_bop_brk.cert"), "BrokerChainRootPath): " + h.publicKeyFile("k_bop"),
                "Broker serving publications on /127.0.0.1:");
        Cert agent = h.cert("agent_bop_brk.cert");
        Ed25519PublicKey bop = Ed25519PublicKey.read(h.publicKeyFile("k_bop"));
        assertThat(agent.subject()).isEqualTo(h.privateKey("k_brk").publicKey());
        assertThat(ChainVerifier.of(VerifyMode.AGENT, bop).verify(List.of(agent)).isVerified()).isTrue();
        assertThat(Files.getPosixFilePermissions(h.privateKeyFile("k_brk"))).hasSize(2);

        t.interrupt();
        assertThat(code.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(out.text()).endsWith("Broker stopped.\n");

        List<Path> again = BrokerCommand.homeIdentity(h);
        assertThat(again).as("a second run creates nothing").isEmpty();
    }
}
