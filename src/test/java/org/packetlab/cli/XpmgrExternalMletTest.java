package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.JvmOptions;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.extmlet.TestMlets;
import org.packetlab.lab.HttpTarget;

/**
 * {@code pktlab xpmgr PATH-TO-EXECUTABLE}: the C mlets run through the command line, in its own
 * JVM, so that they write on the command's real standard output as the reference's mlets do.
 */
@Timeout(90)
class XpmgrExternalMletTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final String GET_LINE = "\n\n(HTTP GET for 127.0.0.1/index.html via 127.0.0.1)\n";

    @TempDir
    static Path dir;
    static PktlabHome home;
    static HttpTarget target;
    static Endpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        home = PktlabHome.at(dir.resolve(".pktlab"));
        home.init(false);
        target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
        endpoint = Endpoint.builder().privateKey(home.privateKey(PktlabHome.K_EP)).chain(List.of(home.cert(PktlabHome.SUBCMD_EOP_EP)))
                .trustedRoots(List.of(home.publicKey(PktlabHome.K_EOP))).localAddress("127.0.0.1/8").hostId("c-mlet").build();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        target.close();
    }

    /** What the command printed and how it ended. */
    record Outcome(int code, String out, String err) {}

    /** Runs {@code pktlab xpmgr -c CONF -a 127.0.0.1:0 ARGS} in a new JVM and connects the endpoint {@code n} times. */
    private static Outcome xpmgr(int n, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(JvmOptions.forThisRuntime());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "xpmgr", "-c", home.xpmgrConfFile().toString(), "-a", "127.0.0.1:0"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<String> out = drain(p.getInputStream(), port);
        CompletableFuture<String> err = drain(p.getErrorStream(), null);
        try {
            List<CompletableFuture<SessionOutcome>> sessions = new ArrayList<>();
            int bound = port.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                sessions.add(endpoint.connect(new InetSocketAddress("127.0.0.1", bound), Optional.empty()));
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("xpmgr ended").isTrue();
            for (CompletableFuture<SessionOutcome> s : sessions) {
                assertThat(s.get(10, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            }
            return new Outcome(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Reads a stream to its end; completes {@code port} when the manager says where it listens. */
    private static CompletableFuture<String> drain(InputStream in, CompletableFuture<Integer> port) {
        CompletableFuture<String> all = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            StringBuilder text = new StringBuilder();
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    Matcher m = LISTENING.matcher(text);
                    if (port != null && !port.isDone() && m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                all.complete(text.toString());
            } catch (IOException e) {
                all.completeExceptionally(e);
            }
            if (port != null) {
                port.completeExceptionally(new AssertionError("xpmgr never said where it listens:\n" + text));
            }
        });
        return all;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void anExecutableMletRunsPerEndpointWritingOnTheCommandsOutput() throws Exception {
        Path httpGet = TestMlets.path("http_get");
        Outcome o = xpmgr(2, "-n", "2", httpGet.toString(), "127.0.0.1", "/index.html", Integer.toString(target.address().getPort()));

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(count(o.out(), HttpTarget.INDEX_PAGE + GET_LINE)).as(o.out()).isEqualTo(2);
        assertThat(o.out()).contains("running " + httpGet + " on 2 endpoints")
                .containsPattern("1\\. 127\\.0\\.0\\.1:\\d+ \\(c-mlet\\) ok: exit 0, 3 messages sent")
                .contains("2 endpoints: 2 ok");
        assertThat(o.err()).contains("received ");
    }

    @Test
    void singletonModeServesEveryEndpointWithOneProcessAndWaitsForIt() throws Exception {
        Path singleton = TestMlets.path("singleton");
        Outcome o = xpmgr(2, "-s", "-n", "2", singleton.toString(), TestMlets.path("http_get").toString(), "127.0.0.1", "/index.html",
                Integer.toString(target.address().getPort()));

        assertThat(o.code()).as(o.err()).isZero();
        assertThat(count(o.out(), HttpTarget.INDEX_PAGE + GET_LINE)).as(o.out()).isEqualTo(2);
        assertThat(o.out()).contains("ok: served by the singleton mlet, 3 messages sent").contains("2 endpoints: 2 ok");
        assertThat(o.err()).contains("singleton: no more endpoints after 2");
    }
}
