package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.portal.Portal;
import org.packetlab.portal.PortalPolicy;
import org.packetlab.ppks.Cert;
import picocli.CommandLine;

/** {@code pktlab portal} and {@code pktlab privileges request}, run as the launcher runs them. */
@Timeout(60)
class PortalCommandsTest {
    private static final Pattern URL = Pattern.compile("PacketLab privilege portal at (http://\\S+)");

    @TempDir
    Path dir;

    private Path home(String name) throws Exception {
        Path h = dir.resolve(name);
        PktlabHome.at(h).init(false);
        return h;
    }

    @Test
    void portalHelpNamesEveryOption() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("portal", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: pktlab portal", "--home=DIR", "--listen=ADDR:PORT", "--policy=FILE", "--log=FILE",
                "127.0.0.1:20580", "docs/portal.md");
        HomeCommandsTest.Run req = HomeCommandsTest.run("privileges", "request", "--help");
        assertThat(req.out()).contains("Usage: pktlab privileges request", "URL", "--name=NAME", "--code=CODE", "--home=DIR");
    }

    @Test
    void badListenAddressIsAUsageError() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("portal", "--listen", "localhost:80");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("'localhost:80' is not ADDR:PORT with an IP address");
    }

    @Test
    void badPolicyFailsWithOneLineNamingFileLineAndKey() throws Exception {
        Path policy = dir.resolve("lab.properties");
        Files.writeString(policy, "limit.max_socket_count = many\n");
        HomeCommandsTest.Run r = HomeCommandsTest.run("portal", "--home", home("op").toString(), "--policy", policy.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pktlab portal: " + policy + ":1: limit.max_socket_count: \"many\" is not a number from 0 to "
                + Long.MAX_VALUE + "\n");
    }

    @Test
    void portalServesItsUrlUntilStoppedAndRequestInstallsFromIt() throws Exception {
        Path op = home("op");
        Path exper = home("exper");
        Path policy = dir.resolve("netlab.properties");
        Files.writeString(policy, "limit.max_socket_count = 8\n");
        Path log = dir.resolve("issued.jsonl");
        CompletableFuture<URI> url = new CompletableFuture<>();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new UrlWatcher(url), true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread running = Thread.ofVirtual().start(() -> exit.complete(cl.execute("portal", "--home", op.toString(),
                "--listen", "127.0.0.1:0", "--policy", policy.toString(), "--log", log.toString())));
        URI portal = url.get(30, TimeUnit.SECONDS);

        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(portal).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("max_socket_count=8");

        HomeCommandsTest.Run r = HomeCommandsTest.run("privileges", "request", portal.toString(), "--home", exper.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Granted by " + portal + ": exppriv serial ").contains("limits max_socket_count=8;")
                .contains("Installed privilege netlab (operator key " + PktlabHome.at(op).publicKey(PktlabHome.K_EOP).keyId().hex());
        Cert installed = Cert.read(PktlabHome.at(exper).certFile("netlab_exppriv.cert"));
        assertThat(installed.isSignedBy(PktlabHome.at(op).publicKey(PktlabHome.K_EOP))).isTrue();
        assertThat(Files.readAllLines(log)).hasSize(1);

        HomeCommandsTest.Run refused = HomeCommandsTest.run("privileges", "request", portal.toString(), "--home", exper.toString(),
                "--name", "bad name");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("pktlab privileges request: privilege name \"bad name\"");
        assertThat(Files.readAllLines(log)).as("refused before asking: nothing issued").hasSize(1);

        running.interrupt();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(err.toString()).isEmpty();
        InetSocketAddress addr = new InetSocketAddress(portal.getHost(), portal.getPort());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket(addr.getAddress(), addr.getPort()).close())
                .as("the port is closed once the command returns").isInstanceOf(ConnectException.class);
    }

    @Test
    void requestFromAHomeWithoutRequestSaysToRunInit() throws Exception {
        try (Portal portal = Portal.builder().operatorHome(home("op")).listen(new InetSocketAddress("127.0.0.1", 0))
                .policy(PortalPolicy.defaults()).start()) {
            Path empty = dir.resolve("empty");
            HomeCommandsTest.Run r = HomeCommandsTest.run("privileges", "request", portal.url().toString(), "--home", empty.toString());
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("pktlab privileges request: no " + empty.resolve("csrs/exppriv_exper.csr")
                    + ": run `pktlab init` first (it makes the request)\n");
        }
    }

    /** Completes {@code url} with the portal address once the command has printed it. */
    private static final class UrlWatcher extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<URI> url;

        UrlWatcher(CompletableFuture<URI> url) {
            this.url = url;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            text.append(buf, off, len);
            Matcher m = URL.matcher(text);
            if (m.find() && text.indexOf("\n", m.end()) >= 0) {
                url.complete(URI.create(m.group(1)));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
