package org.packetlab.extmlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Message;
import org.packetlab.wire.WireCodec;

/** Singleton mode: one process, each endpoint's link passed over its fd 0 with the endpoint address. */
@Timeout(30)
class SingletonTest {

    private static final String HTTP = "/vectors/session-http-get/";

    private static ExternalMlet singleton(String... args) {
        return ExternalMlet.singleton(TestMlets.path("singleton"), args).grace(Duration.ofMillis(300));
    }

    private static MletReport await(java.util.concurrent.CompletionStage<MletReport> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void eachEndpointReachesTheSingletonWithItsAddress() throws Exception {
        List<ScriptedTransport> endpoints = List.of(
                new ScriptedTransport(new InetSocketAddress("127.0.0.1", 40001), m -> List.of()),
                new ScriptedTransport(new InetSocketAddress("127.0.0.2", 40002), m -> List.of()),
                new ScriptedTransport(new InetSocketAddress("::1", 40003), m -> List.of()));
        ExternalMletHost host = singleton(TestMlets.path("showenv").toString(), "arg").start();
        List<ExternalSession> sessions = new ArrayList<>();
        for (ScriptedTransport t : endpoints) {
            ExternalSession s = host.open(t);
            t.attach(s);
            sessions.add(s);
        }
        for (int i = 0; i < endpoints.size(); i++) {
            endpoints.get(i).endpointCloses(null);
            MletReport r = await(sessions.get(i).outcome());
            assertThat(r.pid()).isZero();
            assertThat(r.exit()).isEmpty();
            endpoints.get(i).close();
        }
        host.close();

        MletReport singleton = await(host.singleton().orElseThrow());
        assertThat(singleton.exit()).contains(ExitStatus.exited(0));
        for (String addr : List.of("127.0.0.1", "127.0.0.2", "::1")) {
            assertThat(singleton.output()).contains("argv showenv\nargv arg\nenv EPADDR=" + addr + "\nfds 0 1 2\nfd0 socket\n");
        }
        assertThat(singleton.stderr().text()).isEqualTo("singleton: no more endpoints after 3\n");
        assertThat(host.threadsEnded()).isTrue();
    }

    @Test
    void referenceHttpGetRunsUnderTheSingletonForSeveralEndpoints() throws Exception {
        List<Message> toMlet = WireCodec.decodeAll(TestMlets.resource(HTTP + "mlet_leg.xpmgr2mlet.bin"));
        byte[] expectedRequests = TestMlets.resource(HTTP + "mlet_leg.mlet2xpmgr.bin");
        try (ExternalMletHost host = singleton(TestMlets.path("http_get").toString(), "127.0.0.1", "/index.html").start()) {
            List<ScriptedTransport> endpoints = new ArrayList<>();
            List<CompletableFuture<MletReport>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ScriptedTransport t = ScriptedTransport.answering(ScriptedTransport.replay(toMlet));
                ExternalSession s = host.open(t);
                endpoints.add(t.attach(s));
                outcomes.add(s.outcome().toCompletableFuture());
            }
            for (int i = 0; i < 2; i++) {
                assertThat(outcomes.get(i).get(20, TimeUnit.SECONDS).messagesToEndpoint()).isEqualTo(3);
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                endpoints.get(i).sent.forEach(m -> sent.writeBytes(WireCodec.encode(m)));
                assertThat(sent.toByteArray()).isEqualTo(expectedRequests);
                endpoints.get(i).close();
            }
            host.close();
            String expectedOutput = new String(TestMlets.resource(HTTP + "xpmgr.stdout.txt"), StandardCharsets.UTF_8);
            assertThat(await(host.singleton().orElseThrow()).output()).isEqualTo(expectedOutput + expectedOutput);
        }
    }

    @Test
    void aSingletonWritingOnItsControlSocketIsStoppedAndTakesNoMoreEndpoints() throws Exception {
        ExternalMlet garbage = ExternalMlet.singleton(TestMlets.path("misbehave"), "garbage").grace(Duration.ofMillis(300));
        try (ExternalMletHost host = garbage.start(); ScriptedTransport late = ScriptedTransport.silent()) {
            host.singletonIntakeEnded().orElseThrow().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(failureOf(host.singleton().orElseThrow())).isInstanceOf(ExternalMletException.class)
                    .hasMessageStartingWith("singleton mlet misbehave wrote 8 byte(s) on its control socket, where it must never write");

            ExternalSession s = host.open(late);
            late.attach(s);
            assertThat(failureOf(s.outcome())).hasMessageStartingWith("mlet misbehave could not be handed the endpoint: "
                    + "the singleton mlet takes no more endpoints");
            assertThat(late.awaitClosed()).isTrue();
        }
    }

    @Test
    void aSingletonThatExitsEndsIntake() throws Exception {
        ExternalMlet quitter = ExternalMlet.singleton(TestMlets.path("misbehave"), "exit", "0").grace(Duration.ofMillis(300));
        try (ExternalMletHost host = quitter.start()) {
            host.singletonIntakeEnded().orElseThrow().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(await(host.singleton().orElseThrow()).exit()).contains(ExitStatus.exited(0));
        }
    }

    @Test
    void closingTheHostCancelsRunningSessionsAndEndsTheSingleton() throws Exception {
        ExternalMletHost host = singleton(TestMlets.path("showenv").toString()).start();
        try (ScriptedTransport t = ScriptedTransport.silent()) {
            ExternalSession s = host.open(t);
            t.attach(s);
            host.close();
            assertThat(failureOf(s.outcome())).hasMessageStartingWith("mlet singleton was cancelled");
            assertThat(await(host.singleton().orElseThrow()).exit()).contains(ExitStatus.exited(0));
            assertThat(host.threadsEnded()).isTrue();
        }
    }
}
