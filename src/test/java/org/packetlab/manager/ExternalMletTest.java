package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.extmlet.ExitStatus;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.ExternalMletException;
import org.packetlab.extmlet.MletReport;
import org.packetlab.extmlet.TestMlets;
import org.packetlab.lab.HttpTarget;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;

/**
 * External C mlets end to end: the manager in listen mode with real TLS, our endpoint, and the
 * lab's HTTP target, all on loopback.
 */
@Timeout(60)
class ExternalMletTest {
    static HttpTarget target;
    static Endpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
        endpoint = Endpoint.builder().privateKey(Creds.key("k_ep")).chain(List.of(Creds.cert("subcmd_eop_ep")))
                .trustedRoots(List.of(Creds.pub("k_eop"))).localAddress("127.0.0.1/8").hostId("ep-ext").build();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        target.close();
    }

    private static ExternalMlet httpGet() {
        return TestMlets.mlet("http_get", "127.0.0.1", "/index.html", Integer.toString(target.address().getPort()));
    }

    /** Runs {@code mlet} on a manager taking {@code n} endpoints, connects our endpoint {@code n} times, returns the results. */
    private static Results<MletReport> run(Manager m, ExternalMlet mlet, int n) throws Exception {
        CompletableFuture<Results<MletReport>> results = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                results.complete(m.run(mlet));
            } catch (Throwable e) {
                results.completeExceptionally(e);
            }
        });
        List<CompletableFuture<SessionOutcome>> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sessions.add(endpoint.connect(m.boundAddress(), Optional.of(ManagerTest.CONTROLLER.snikey())));
        }
        Results<MletReport> r = results.get(30, TimeUnit.SECONDS);
        for (CompletableFuture<SessionOutcome> s : sessions) {
            assertThat(s.get(10, TimeUnit.SECONDS).isNormalEnd()).isTrue();
        }
        return r;
    }

    @Test
    void httpGetMletFetchesThePageThroughTheEndpoint() throws Exception {
        try (Manager m = ManagerTest.manager().attempts(2).build()) {
            Results<MletReport> r = run(m, httpGet(), 2);

            assertThat(r).hasSize(2).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(Status.OK);
                assertThat(e.hostId()).isEqualTo("ep-ext");
                assertThat(e.value().exit()).contains(ExitStatus.exited(0));
                assertThat(e.value().output()).startsWith("HTTP/1.0 200 OK").contains(HttpTarget.INDEX_PAGE)
                        .endsWith("\n\n(HTTP GET for 127.0.0.1/index.html via 127.0.0.1)\n");
            });
            assertThat(target.requestsServed()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void vmemReadMletReadsTheHostIdTheEndpointExports() throws Exception {
        try (Manager m = ManagerTest.manager().attempts(1).build()) {
            Results<MletReport> r = run(m, TestMlets.mlet("vmem_read"), 1);

            assertThat(r.values()).singleElement().satisfies(v -> assertThat(v.output()).startsWith("hostid ep-ext\nclock "));
        }
    }

    @Test
    void singletonServesEveryEndpointOfTheRunAndEndsWithIt() throws Exception {
        Path httpGet = TestMlets.path("http_get");
        ExternalMlet singleton = ExternalMlet.singleton(TestMlets.path("singleton"), httpGet.toString(), "127.0.0.1",
                "/index.html", Integer.toString(target.address().getPort())).grace(Duration.ofMillis(300));
        try (Manager m = ManagerTest.manager().attempts(3).build()) {
            Results<MletReport> r = run(m, singleton, 3);

            assertThat(r).hasSize(3).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(Status.OK);
                assertThat(e.value().messagesToEndpoint()).isEqualTo(3);
                assertThat(e.value().exit()).isEmpty();
            });
            Path coordinator = TestMlets.path("singleton");
            assertThat(ProcessHandle.current().children().filter(p -> p.info().command().map(coordinator.toString()::equals).orElse(false)))
                    .as("the singleton has ended when the run is over").isEmpty();
        }
    }

    @Test
    void badMletsFailTheirEndpointsAndTheManagerGoesOnServing() throws Exception {
        try (Manager m = ManagerTest.manager().attempts(2).build()) {
            Results<MletReport> garbage = run(m, TestMlets.mlet("misbehave", "garbage"), 2);
            assertThat(garbage).hasSize(2).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(Status.MLET_FAILED);
                assertThat(e.error()).startsWith("mlet misbehave wrote a message header announcing 16777215 bytes on fd 0");
                assertThat(e.cause()).isInstanceOf(ExternalMletException.class);
            });

            Results<MletReport> crash = run(m, TestMlets.mlet("crash", Integer.toString(target.address().getPort())), 2);
            assertThat(crash).hasSize(2).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(Status.MLET_FAILED);
                assertThat(e.error()).isEqualTo("mlet crash was killed by SIGABRT (stderr: crash: nopen answered 0x0000, now crashing)");
            });

            Results<MletReport> quitter = run(m, TestMlets.mlet("misbehave", "exit", "4"), 2);
            assertThat(quitter).extracting(EndpointResult::error)
                    .containsOnly("mlet misbehave exited with status 4 before sending a message");

            assertThat(run(m, httpGet(), 2).values()).hasSize(2);
        }
    }

    @Test
    void interruptingTheRunKillsAProcessThatIgnoresSigterm() throws Exception {
        Path hang = TestMlets.path("misbehave");
        try (Manager m = ManagerTest.manager().attempts(1).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread runner = Thread.ofVirtual().start(() -> {
                try {
                    m.run(TestMlets.mlet("misbehave", "hang"));
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            CompletableFuture<SessionOutcome> session = endpoint.connect(m.boundAddress(), Optional.of(ManagerTest.CONTROLLER.snikey()));
            ProcessHandle process = awaitProcessOf(hang);
            runner.interrupt();

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            process.onExit().get(10, TimeUnit.SECONDS);
            assertThat(session.get(10, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            assertThat(run(m, httpGet(), 1).values()).hasSize(1);
        }
    }

    /** The process running {@code exe}, once it has started (its stderr says so first). */
    private static ProcessHandle awaitProcessOf(Path exe) throws Exception {
        CompletableFuture<ProcessHandle> found = new CompletableFuture<>();
        Thread finder = Thread.ofVirtual().start(() -> {
            while (!found.isDone()) {
                ProcessHandle.allProcesses().filter(p -> p.info().command().map(exe.toString()::equals).orElse(false))
                        .findFirst().ifPresent(found::complete);
                Thread.onSpinWait();
            }
        });
        try {
            return found.get(10, TimeUnit.SECONDS);
        } finally {
            found.cancel(false);
            finder.join();
        }
    }
}
