package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.proxy.BacklogPool;
import org.packetlab.wire.Snikey;
import picocli.CommandLine;

/** {@code pktlab proxy}: help, its identity in the home, and a real registration against it until it is stopped. */
@Timeout(60)
class ProxyCommandTest {
    private static final Pattern LISTENING = Pattern.compile(
            "pktlab proxy: managers register on /127\\.0\\.0\\.1:(\\d+), endpoints connect to /127\\.0\\.0\\.1:(\\d+); agent key ([0-9a-f]{64})\\. Ctrl-C stops\\.");

    @TempDir
    Path dir;

    /** A proxy command running on its own thread, with the lines it printed so far. */
    private record Running(Thread thread, AtomicInteger code, List<String> lines, int setupPort, String keyId) {}

    private Running start(String... args) throws Exception {
        PipedInputStream pipe = new PipedInputStream();
        PrintWriter out = new PrintWriter(new PipedOutputStream(pipe), true, StandardCharsets.UTF_8);
        CommandLine cl = Main.commandLine();
        cl.setOut(out);
        cl.setErr(new PrintWriter(new StringWriter(), true));
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> {
            code.set(cl.execute(args));
            out.close();
        }, "pktlab-proxy-command");
        t.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(pipe, StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) {
                return new Running(t, code, lines, Integer.parseInt(m.group(1)), m.group(3));
            }
        }
        throw new AssertionError("the proxy did not start: " + lines);
    }

    private static int stop(Running r) throws InterruptedException {
        r.thread().interrupt();
        r.thread().join(Duration.ofSeconds(20));
        return r.code().get();
    }

    @Test
    void helpNamesThePortsTheIdentityAndHowToStop() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("proxy", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--setup-listen", "--endpoint-listen", "--key", "--cert", "--root", "20557", "20556", "Ctrl-C");
    }

    @Test
    void keyWithoutCertificateIsAUsageError() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("proxy", "--key", dir.resolve("k").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--key and --cert go together");
    }

    @Test
    void firstRunCreatesTheProxyIdentityAndManagersRegisterUntilItIsStopped() throws Exception {
        Path home = dir.resolve("home");
        String[] args = {"proxy", "--home", home.toString(), "--setup-listen", "127.0.0.1:0", "--endpoint-listen", "127.0.0.1:0"};
        Running first = start(args);
        PktlabHome h = PktlabHome.at(home);
        Ed25519PrivateKey key = Ed25519PrivateKey.read(h.privateKeyFile("k_prx"));
        Ed25519PublicKey pub = Ed25519PublicKey.read(h.publicKeyFile("k_prx"));
        Cert cert = Cert.read(h.certFile("agent_prx_prx.cert"));
        assertThat(first.lines()).anyMatch(l -> l.startsWith("created the proxy's key pair"));
        assertThat(pub).isEqualTo(key.publicKey());
        assertThat(cert.type()).isEqualTo(CertType.AGENT);
        assertThat(cert.subject()).isEqualTo(pub);
        assertThat(first.keyId()).isEqualTo(pub.keyId().hex());

        Snikey snikey = Snikey.random();
        try (BacklogPool pool = BacklogPool.builder().proxy(new InetSocketAddress("127.0.0.1", first.setupPort()))
                .snikeys(List.of(snikey)).target(1).proxyRoots(List.of(pub))
                .connTimeout(Duration.ofSeconds(10)).bootstrapTimeout(Duration.ofSeconds(30))
                .handoff((s, ch) -> ch.close()).build()) {
            assertThat(pool.bootstrap()).containsEntry(snikey, 1);
        }
        assertThat(stop(first)).isZero();

        Running second = start(args);
        assertThat(second.lines()).noneMatch(l -> l.startsWith("created"));
        assertThat(second.keyId()).as("the same identity again").isEqualTo(first.keyId());
        assertThat(stop(second)).isZero();
        assertThat(Files.readString(h.certFile("agent_prx_prx.cert"))).isEqualTo(cert.pem());
    }
}
