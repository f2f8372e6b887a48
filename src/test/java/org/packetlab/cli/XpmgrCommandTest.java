package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.lab.HttpTarget;
import org.packetlab.proxy.Proxy;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;
import picocli.CommandLine;

/** {@code pktlab xpmgr}: the reference's command line, its usage errors and the failures it reports in one line. */
@Timeout(60)
class XpmgrCommandTest {

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void missingMletIsAUsageError() {
        Outcome o = run("xpmgr", "-n", "1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("pktlab xpmgr: Missing required parameter: 'MLET'")
                .contains("Usage: pktlab xpmgr [-hs] [-c CONF] [-a ADDR[:PORT]] [-p ADDR[:PORT]] [-i HOSTID]")
                .contains("  -n  N ");
    }

    @Test
    void attemptCountFollowsStrtoumaxButRefusesZeroAndText() {
        XpmgrCommand c = new XpmgrCommand();
        c.spec = Main.commandLine().getSubcommands().get("xpmgr").getCommandSpec();
        assertThat(c.parseAttempts("3")).isEqualTo(3);
        assertThat(c.parseAttempts("0x10")).isEqualTo(16);
        assertThat(c.parseAttempts("010")).isEqualTo(8);
        assertThat(c.parseAttempts("-1")).isEqualTo(Long.MAX_VALUE);
        assertThat(c.parseAttempts("18446744073709551615")).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> c.parseAttempts("0")).hasMessage("-n: the attempt count must not be 0");
        assertThatThrownBy(() -> c.parseAttempts("12abc")).hasMessage("-n: \"12abc\" is not a number");
        assertThat(run("xpmgr", "-n", "0", "HttpGet").code()).isEqualTo(2);
        assertThat(run("xpmgr", "-n", "many", "HttpGet").code()).isEqualTo(2);
    }

    @Test
    void singletonModeWithAJavaMletIsAUsageError() {
        Outcome o = run("xpmgr", "-s", "HttpGet", "127.0.0.1", "/");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("pktlab xpmgr: -s (singleton mlet mode) runs an executable file; HttpGet is a Java mlet\n");
    }

    @Test
    void unknownMletIsAUsageErrorNamingIt() {
        Outcome o = run("xpmgr", "NoSuchMlet");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("no mlet class NoSuchMlet (nor org.packetlab.examples.NoSuchMlet)");
    }

    @Test
    void anMletPathThatIsNoExecutableFileIsAUsageErrorSayingWhy(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("test_http_get"), "#!/bin/sh\n");
        Outcome notExecutable = run("xpmgr", plain.toString(), "127.0.0.1", "/");
        assertThat(notExecutable.code()).isEqualTo(2);
        assertThat(notExecutable.err()).startsWith("pktlab xpmgr: mlet " + plain + " is not executable (chmod +x " + plain + ")\n");

        Outcome missing = run("xpmgr", dir + "/nowhere", "127.0.0.1", "/");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("pktlab xpmgr: mlet " + dir + "/nowhere does not exist\n");
    }

    @Test
    void missingConfigurationFileFailsInOneLine(@TempDir Path dir) {
        Path conf = dir.resolve("xpmgr.conf");
        Outcome o = run("xpmgr", "-c", conf.toString(), "HttpGet", "127.0.0.1", "/index.html");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err().strip()).startsWith("pktlab xpmgr: ").contains(conf.toString()).doesNotContain("\n");
    }

    @Test
    void wordsAfterTheMletGoToItEvenWhenTheyLookLikeOptions() {
        Outcome o = run("xpmgr", "-n", "1", "HttpGet", "-n", "2");
        // HttpGet refuses "-n 2" as its HOST PATH words: the refusal is about its words, not about xpmgr's -n
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).doesNotContain("Unknown option").doesNotContain("-n: ");
    }

    /** Output that tells when the manager says where it listens. */
    static final class Watched extends Writer {
        private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
        private final Pattern pattern;
        private final StringBuilder text = new StringBuilder();
        final CompletableFuture<String> found = new CompletableFuture<>();
        final CompletableFuture<Integer> port = found.thenApply(Integer::parseInt);

        Watched() {
            this(LISTENING);
        }

        /** Output that tells when a line matching {@code pattern} appears ({@link #found}: its first group). */
        Watched(Pattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public synchronized void write(char[] c, int off, int len) {
            text.append(c, off, len);
            Matcher m = pattern.matcher(text);
            if (m.find()) {
                found.complete(m.group(1));
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
    void tutorialsFirstLocalExperimentRunsHttpGetOnARealEndpoint(@TempDir Path dir) throws Exception {
        PktlabHome home = PktlabHome.at(dir.resolve(".pktlab"));
        home.init(false);
        try (HttpTarget target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
             Endpoint endpoint = Endpoint.builder().privateKey(home.privateKey(PktlabHome.K_EP))
                     .chain(List.of(home.cert(PktlabHome.SUBCMD_EOP_EP))).trustedRoots(List.of(home.publicKey(PktlabHome.K_EOP)))
                     .localAddress("127.0.0.1/8").hostId("tutorial").build()) {
            CommandLine cl = Main.commandLine();
            Watched out = new Watched();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> cl.execute("xpmgr", "-c",
                    home.xpmgrConfFile().toString(), "-a", "127.0.0.1:0", "-n", "1",
                    "HttpGet", "127.0.0.1:" + target.address().getPort(), "/index.html"));
            int port = out.port.get(30, TimeUnit.SECONDS);
            SessionOutcome outcome = endpoint.connect(new InetSocketAddress("127.0.0.1", port), Optional.empty()).get(30, TimeUnit.SECONDS);

            assertThat(code.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(outcome.isNormalEnd()).isTrue();
            String text = out.text();
            assertThat(text).contains("running HttpGet on 1 endpoint (Ctrl-C stops)")
                    .contains("1. 127.0.0.1:").contains(" (tutorial) ok: HTTP/1.0 200 OK, ")
                    .contains("1 endpoint: 1 ok")
                    .containsPattern("1  127\\.0\\.0\\.1:\\d+ +tutorial +ok ");
        }
    }

    @Test
    void proxyModeWithoutTheProxysAddressIsAUsageError(@TempDir Path dir) throws Exception {
        PktlabHome home = PktlabHome.at(dir.resolve(".pktlab"));
        home.init(false);
        Outcome o = run("xpmgr", "-c", home.xpmgrProxyConfFile().toString(), "-n", "1", "HttpGet", "127.0.0.1", "/");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("pktlab xpmgr: " + home.xpmgrProxyConfFile()
                + " sets EnableProxyMode 1: proxy mode needs the proxy's address, -a ADDR[:PORT]\n");
    }

    @Test
    void proxyModeRunsHttpGetOnARealEndpointReachingTheManagerThroughTheProxy(@TempDir Path dir) throws Exception {
        PktlabHome home = PktlabHome.at(dir.resolve(".pktlab"));
        home.init(false);
        home.ensureProxyCredentials();
        TlsIdentity proxyAgent = TlsIdentity.of(home.privateKey(PktlabHome.K_PRX), List.of(home.cert(PktlabHome.AGENT_PRX_PRX)));
        try (HttpTarget target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
             // the proxy admits managers whose agent certificate k_xc signed: xpmgr.proxy.conf presents agent_xc_xc
             Proxy proxy = Proxy.builder().identity(proxyAgent).managerRoots(List.of(home.publicKey(PktlabHome.K_XC)))
                     .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0)).build();
             Endpoint endpoint = Endpoint.builder().privateKey(home.privateKey(PktlabHome.K_EP))
                     .chain(List.of(home.cert(PktlabHome.SUBCMD_EOP_EP))).trustedRoots(List.of(home.publicKey(PktlabHome.K_EOP)))
                     .localAddress("127.0.0.1/8").hostId("behind-nat").build()) {
            CommandLine cl = Main.commandLine();
            Watched out = new Watched(Pattern.compile("with SNI ([0-9a-z]+)\n"));
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> cl.execute("xpmgr", "-c",
                    home.xpmgrProxyConfFile().toString(), "-a", "127.0.0.1:" + proxy.setupAddress().getPort(), "-n", "1",
                    "HttpGet", "127.0.0.1:" + target.address().getPort(), "/index.html"));
            Snikey sni = new Snikey(out.found.get(30, TimeUnit.SECONDS));
            SessionOutcome outcome = endpoint.connect(proxy.endpointAddress(), Optional.of(sni)).get(30, TimeUnit.SECONDS);

            assertThat(code.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
            assertThat(outcome.isNormalEnd()).isTrue();
            assertThat(out.text()).contains("pktlab xpmgr: registered with the proxy at 127.0.0.1:" + proxy.setupAddress().getPort())
                    .contains(" (behind-nat) ok: HTTP/1.0 200 OK, ")
                    .contains("1 endpoint: 1 ok");
            assertThat(proxy.stats().endpointsRouted()).isEqualTo(1);
        }
    }
}
