package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.SessionClosedException;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Vmem;

/** Java mlets hosted by the manager through the mlet package's session client, against scripted endpoints. */
@Timeout(30)
class JavaMletTest {
    static EventLoopGroup clients;

    @BeforeAll
    static void startClients() {
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClients() {
        clients.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static FakeEndpoint endpoint(Manager m) throws InterruptedException {
        return FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), ManagerTest.CONTROLLER.snikey()));
    }

    @Test
    void runBlocksUntilTheAttemptsAreDoneAndReturnsEachEndpointsValue() throws Exception {
        Mlet<String> mlet = ep -> ep.hostId() + " at " + ep.clockNanos();
        try (Manager m = ManagerTest.manager().attempts(2).build()) {
            CompletableFuture<Results<String>> results = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    results.complete(m.run(mlet));
                } catch (Throwable e) {
                    results.completeExceptionally(e);
                }
            });
            for (String host : new String[] {"ep-a", "ep-b"}) {
                try (FakeEndpoint ep = endpoint(m)) {
                    ep.serveSetup(host);
                    assertThat(ep.take()).isEqualTo(Mread.of(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE));
                    ep.answerHostIdRead(host);
                    ep.serveReads((byte) 0);
                }
            }
            assertThat(results.get(10, TimeUnit.SECONDS).values()).containsExactly("ep-a at 0", "ep-b at 0");
        }
    }

    @Test
    void interruptingRunCancelsTheRunningMletsAndClosesTheirSessions() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        Mlet<Long> mlet = ep -> {
            asked.countDown();
            return ep.clockNanos();
        };
        try (Manager m = ManagerTest.manager().requestTimeout(Duration.ofSeconds(60)).build()) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread runner = Thread.ofVirtual().start(() -> {
                try {
                    m.run(mlet);
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("slow");
                assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(ep.take()).isEqualTo(Mread.of(Vmem.SYSPARAM_TIME, 8));
                runner.interrupt();
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
                ep.awaitClosed();
            }
            // the manager takes the next run
            Run<Long> next = m.start(ep -> 1L, RunListener.none());
            next.cancel();
            assertThat(next.await()).isEmpty();
        }
    }

    @Test
    void runWithMaxWaitReturnsCancelledSessionsWhenTimeRunsOut() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        Mlet<Long> mlet = ep -> {
            asked.countDown();
            return ep.clockNanos();
        };
        try (Manager m = ManagerTest.manager().requestTimeout(Duration.ofSeconds(60)).build()) {
            CompletableFuture<Results<Long>> results = new CompletableFuture<>();
            CountDownLatch started = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try {
                    started.countDown();
                    results.complete(m.run(mlet, Duration.ofSeconds(2)));
                } catch (Throwable e) {
                    results.completeExceptionally(e);
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("never-answers");
                assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
                Results<Long> r = results.get(10, TimeUnit.SECONDS);
                assertThat(r).singleElement().satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.CANCELLED);
                    assertThat(e.error()).isEqualTo("run cancelled");
                });
                ep.awaitClosed();
            }
        }
    }

    @Test
    void mletSeesTheEndOfASessionTheEndpointClosed() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Mlet<Long> mlet = ep -> {
            try {
                return ep.clockNanos();
            } catch (Exception e) {
                seen.complete(e);
                throw e;
            }
        };
        try (Manager m = ManagerTest.manager().attempts(1).build()) {
            Run<Long> run = m.start(mlet, RunListener.none());
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("leaving");
                assertThat(ep.take()).isEqualTo(Mread.of(Vmem.SYSPARAM_TIME, 8));
            }
            assertThat(seen.get(10, TimeUnit.SECONDS)).isInstanceOf(SessionClosedException.class);
            assertThat(run.await()).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(Status.SESSION_FAILED);
                assertThat(e.error()).startsWith("session lost: the endpoint closed the session; then the mlet failed: ");
            });
        }
    }
}
