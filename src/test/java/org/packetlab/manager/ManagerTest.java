package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Program;
import org.packetlab.wire.Result;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Start;
import org.packetlab.wire.Vmem;
import org.packetlab.ppks.Digest;

/** The manager against scripted endpoints: real TLS on loopback, one test per behaviour. */
@Timeout(30)
class ManagerTest {
    static final Identity CONTROLLER = Creds.controller().withDefault(true);
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    static EventLoopGroup clients;

    @BeforeAll
    static void startClients() {
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopClients() {
        clients.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static Manager.Builder manager() {
        return Manager.builder().identity(CONTROLLER).listen(LOOPBACK);
    }

    static FakeEndpoint endpoint(Manager m) throws InterruptedException {
        return FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), CONTROLLER.snikey()));
    }

    /** An mlet that reads the endpoint clock once and returns the first byte of the answer. */
    static final ScriptHost.Script<Integer> READ_CLOCK = s -> {
        Message m = s.call(Mread.of(Vmem.SYSPARAM_TIME, 8));
        return ((Mdata) m).data()[0] & 0xFF;
    };

    @Test
    void setupSendsStartFirstThenReadsHostIdThenHandsTheSessionToTheMlet() throws Exception {
        try (Manager m = manager().attempts(1).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint ep = endpoint(m)) {
                assertThat(ep.handshake()).isNull();
                ep.serveSetup("ep-1");
                assertThat(ep.take()).isEqualTo(Mread.of(Vmem.SYSPARAM_TIME, 8));
                ep.send(Mdata.of(Vmem.SYSPARAM_TIME, new byte[] {7, 0, 0, 0, 0, 0, 0, 1}));

                Results<Integer> r = run.await();
                assertThat(r).singleElement().satisfies(e -> {
                    assertThat(e.status()).isEqualTo(Status.OK);
                    assertThat(e.value()).isEqualTo(7);
                    assertThat(e.hostId()).isEqualTo("ep-1");
                    assertThat(e.endpoint().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
                });
                ep.awaitClosed();
                // the reference manager's first bytes on the TLS leg are start (21 00 00 00); ours too,
                // followed by the host id read and the mlet's request
                byte[] reference = Creds.vector("session-http-get/tls_leg.xpmgr2endpt.bin");
                assertThat(Arrays.copyOf(ep.received(), 4)).isEqualTo(Arrays.copyOf(reference, 4));
                assertThat(HexFormat.of().formatHex(ep.received()))
                        .isEqualTo("21000000" + "28000006" + "100300000100" + "28000006" + "100100000008");
                assertThat(events.lines).containsExactly("connected #1", "started #1 ep-1", "finished #1 OK",
                        "run finished: 1 endpoint: 1 ok");
            }
        }
    }

    @Test
    void monitorProgramsNamedInTheChainAreSubmittedBeforeStart() throws Exception {
        Program wanted = Program.wasm(new byte[] {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0});
        Program other = Program.ebpf(List.of(new Program.Instruction(0x95, 0, 0, 0, 0)));
        Identity withMonitor = Creds.controllerWithMonitors(Digest.of(wanted.digest())).withDefault(true);
        try (Manager m = Manager.builder().identity(withMonitor).listen(LOOPBACK).programs(List.of(other, wanted)).attempts(1).build()) {
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            try (FakeEndpoint ep = FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), null))) {
                assertThat(ep.take()).isEqualTo(Cdata.monitor(wanted));
                ep.send(Result.ok());
                assertThat(ep.take()).isEqualTo(new Start());
                ep.send(Result.ok());
                ep.answerHostId("ep-1");
                ep.serveReads((byte) 1);
            }
            assertThat(run.await()).extracting(EndpointResult::status).containsExactly(Status.OK);
        }
    }

    @Test
    void endpointRefusingStartIsRefusedWithItsStatusAndTheRunGoesOn() throws Exception {
        try (Manager m = manager().attempts(1).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint bad = endpoint(m)) {
                assertThat(bad.take()).isEqualTo(new Start());
                bad.send(Result.of(org.packetlab.wire.Status.ECRTNOHDAT));
                bad.awaitClosed();
            }
            try (FakeEndpoint good = endpoint(m)) {
                good.serveSetup("ep-2");
                good.serveReads((byte) 2);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.REFUSED, Status.OK);
            assertThat(r.get(0).error()).isEqualTo("start not accepted: result ECRTNOHDAT");
            assertThat(events.lines).startsWith("connected #1", "refused #1 REFUSED: start not accepted: result ECRTNOHDAT");
        }
    }

    @Test
    void endpointChainNotRootedAtATrustedOperatorIsRefusedWithTheReason() throws Exception {
        try (Manager m = manager().build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint ep = FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.strangerEndpoint(), CONTROLLER.snikey()))) {
                ep.awaitClosed();
                assertThat(ep.received()).isEmpty();
            }
            events.await("refused #1");
            run.stop();
            Results<Integer> r = run.await();
            assertThat(r).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(Status.REFUSED);
                assertThat(e.error()).startsWith("TLS handshake failed: ");
            });
            assertThat(events.lines.get(1)).startsWith("refused #1 REFUSED: TLS handshake failed");
        }
    }

    @Test
    void unknownSniIsRefusedBeforeTheHandshake() throws Exception {
        try (Manager m = manager().build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint ep = FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), new Snikey("nosuchexperiment")))) {
                assertThat(ep.handshake()).isNotNull();
                ep.awaitClosed();
            }
            events.await("refused #1");
            run.stop();
            assertThat(run.await()).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(Status.REFUSED);
                assertThat(e.error()).contains("unknown SNI \"nosuchexperiment\"");
            });
        }
    }

    @Test
    void endpointWithoutSniGetsTheDefaultIdentityAndIsRefusedWithoutOne() throws Exception {
        Identity notDefault = CONTROLLER.withDefault(false);
        try (Manager m = Manager.builder().identity(notDefault).listen(LOOPBACK).attempts(1).build()) {
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            try (FakeEndpoint ep = FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), null))) {
                ep.awaitClosed();
            }
            try (FakeEndpoint ep = FakeEndpoint.connect(clients, m.boundAddress(), Creds.client(Creds.endpoint(), notDefault.snikey()))) {
                ep.serveSetup("by-sni");
                ep.serveReads((byte) 3);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.REFUSED, Status.OK);
            assertThat(r.get(0).error()).contains("no SNI and no default entry");
        }
    }

    @Test
    void hostIdPatternSkipsEndpointsThatDoNotMatchWithoutCountingThem() throws Exception {
        try (Manager m = manager().hostId("lab-?").attempts(1).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint other = endpoint(m)) {
                other.serveSetup("lab-10");
                assertThat(other.awaitClosed()).isEmpty();
            }
            try (FakeEndpoint lab = endpoint(m)) {
                lab.serveSetup("lab-1");
                lab.serveReads((byte) 4);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.SKIPPED, Status.OK);
            assertThat(r.get(0).hostId()).isEqualTo("lab-10");
            assertThat(r.get(0).error()).isEqualTo("host id \"lab-10\" does not match \"lab-?\"");
            assertThat(r.values()).containsExactly(4);
        }
    }

    @Test
    void attemptCountSetsUpExactlyThatManySessionsAndLeavesTheRestWaiting() throws Exception {
        List<FakeEndpoint> eps = new ArrayList<>();
        List<Thread> served = new ArrayList<>();
        List<Throwable> unserved = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Manager m = manager().attempts(3).build()) {
            CountDownLatch release = new CountDownLatch(1);
            Run<Integer> run = m.startHosted(new ScriptHost<>(s -> {
                release.await();
                return READ_CLOCK.run(s);
            }), RunListener.none());
            for (int i = 0; i < 5; i++) {
                eps.add(endpoint(m));
            }
            // whichever three are accepted get set up; the other two wait in the listen backlog
            for (FakeEndpoint ep : eps) {
                served.add(Thread.ofVirtual().start(() -> {
                    try {
                        ep.serveSetup("ep");
                        ep.serveReads((byte) 9);
                    } catch (InterruptedException | AssertionError e) {
                        unserved.add(e);
                    }
                }));
            }
            assertThat(run.await(Duration.ofMillis(200))).isEmpty();
            release.countDown();
            Results<Integer> r = run.await();
            assertThat(r).hasSize(3).allMatch(EndpointResult::isOk);
            assertThat(eps.stream().filter(ep -> ep.received().length == 0)).hasSize(2);
        }
        // closing the manager resets the connections still in its backlog: they never got a byte
        for (Thread t : served) {
            t.join();
        }
        assertThat(unserved).hasSize(2).allSatisfy(e -> assertThat(e).hasMessage("the manager closed the connection"));
        assertThat(eps.stream().filter(ep -> ep.received().length == 0)).hasSize(2);
        eps.forEach(FakeEndpoint::close);
    }

    @Test
    void fiftyEndpointsAtOnceAllComplete() throws Exception {
        int n = 50;
        try (Manager m = manager().attempts(n).build()) {
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try (FakeEndpoint ep = endpoint(m)) {
                        ep.serveSetup("ep-" + k);
                        ep.serveReads((byte) k);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            Results<Integer> r = run.await();
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(r).hasSize(n).allMatch(EndpointResult::isOk);
            assertThat(r.values()).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
            assertThat(r.stream().map(EndpointResult::hostId).distinct()).hasSize(n);
        }
    }

    @Test
    void mletThatThrowsIsRecordedForItsEndpointAndOthersFinish() throws Exception {
        try (Manager m = manager().attempts(3).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(s -> {
                if (s.hostId.equals("bad")) {
                    throw new IllegalStateException("mlet bug on " + s.hostId);
                }
                return READ_CLOCK.run(s);
            }), events);
            for (String host : List.of("good-1", "bad", "good-2")) {
                try (FakeEndpoint ep = endpoint(m)) {
                    ep.serveSetup(host);
                    ep.serveReads((byte) 5);
                }
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.OK, Status.MLET_FAILED, Status.OK);
            assertThat(r.get(1).error()).isEqualTo("IllegalStateException: mlet bug on bad");
            assertThat(r.get(1).cause()).isInstanceOf(IllegalStateException.class);
            assertThat(events.lines).contains("finished #2 MLET_FAILED");
        }
    }

    @Test
    void endpointVanishingMidSessionIsRecordedAsSessionFailedAndTheManagerGoesOn() throws Exception {
        try (Manager m = manager().attempts(2).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("gone");
                assertThat(ep.take()).isInstanceOf(Mread.class);
                ep.vanish();
            }
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("stays");
                ep.serveReads((byte) 6);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.SESSION_FAILED, Status.OK);
            assertThat(r.get(0).error()).startsWith("session lost: ");
            assertThat(events.lines).anyMatch(l -> l.startsWith("failed #1 SESSION_FAILED: session lost"));
        }
    }

    @Test
    void oversizedFrameClosesOnlyThatSession() throws Exception {
        try (Manager m = manager().attempts(2).build()) {
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            try (FakeEndpoint hostile = endpoint(m); FakeEndpoint fine = endpoint(m)) {
                hostile.serveSetup("hostile");
                fine.serveSetup("fine");
                assertThat(hostile.take()).isInstanceOf(Mread.class);
                // an ndata header announcing 16 MiB: refused as soon as the header is in
                hostile.sendRaw(new byte[] {0x62, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
                hostile.awaitClosed();
                fine.serveReads((byte) 8);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactlyInAnyOrder(Status.SESSION_FAILED, Status.OK);
            assertThat(r.withStatus(Status.SESSION_FAILED).get(0).error()).contains("16777215");
            assertThat(r.values()).containsExactly(8);
        }
    }

    @Test
    void malformedMessageDuringSetupRefusesOnlyThatEndpoint() throws Exception {
        try (Manager m = manager().attempts(1).build()) {
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            try (FakeEndpoint hostile = endpoint(m)) {
                assertThat(hostile.take()).isEqualTo(new Start());
                hostile.sendRaw(new byte[] {0x40, 0, 0, 3, 0, 0, 0}); // a result body of 3 bytes
                hostile.awaitClosed();
            }
            try (FakeEndpoint fine = endpoint(m)) {
                fine.serveSetup("fine");
                fine.serveReads((byte) 1);
            }
            Results<Integer> r = run.await();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.REFUSED, Status.OK);
            assertThat(r.get(0).error()).startsWith("start not accepted: malformed result");
        }
    }

    @Test
    void connectionThatStallsIsRefusedAtTheSetupDeadline() throws Exception {
        try (Manager m = manager().setupTimeout(Duration.ofMillis(300)).build()) {
            Events<Integer> events = new Events<>();
            Run<Integer> run = m.startHosted(new ScriptHost<>(READ_CLOCK), events);
            try (Socket silent = new Socket(m.boundAddress().getAddress(), m.boundAddress().getPort())) {
                silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(FakeEndpoint.WAIT_SECONDS));
                assertThat(silent.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(events.await("refused #1"))
                    .isEqualTo("refused #1 REFUSED: set-up not finished within 300 ms (during the TLS handshake)");
            run.stop();
            assertThat(run.await()).hasSize(1);
        }
    }

    @Test
    void stopLetsRunningMletsFinishAndAcceptsNobodyElse() throws Exception {
        try (Manager m = manager().build()) {
            CountDownLatch inMlet = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Run<Integer> run = m.startHosted(new ScriptHost<>(s -> {
                inMlet.countDown();
                release.await();
                return READ_CLOCK.run(s);
            }), RunListener.none());
            try (FakeEndpoint ep = endpoint(m)) {
                ep.serveSetup("running");
                assertThat(inMlet.await(10, TimeUnit.SECONDS)).isTrue();
                run.stop();
                try (FakeEndpoint late = endpoint(m)) {
                    release.countDown();
                    ep.serveReads((byte) 2);
                    assertThat(run.await()).extracting(EndpointResult::status).containsExactly(Status.OK);
                    assertThat(late.receivedNothing()).isTrue();
                }
            }
        }
    }

    @Test
    void closeCancelsRunningMletsAndLeavesNoChannelOrThreadBehind() throws Exception {
        CountDownLatch inMlet = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Manager m = manager().stopTimeout(Duration.ZERO).build();
        Run<Integer> run = m.startHosted(new ScriptHost<>(s -> {
            inMlet.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return 0;
        }), RunListener.none());
        try (FakeEndpoint ep = endpoint(m)) {
            ep.serveSetup("stuck");
            assertThat(inMlet.await(10, TimeUnit.SECONDS)).isTrue();
            m.close();
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            ep.awaitClosed();
        }
        assertThat(run.isDone()).isTrue();
        assertThat(run.await()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(Status.CANCELLED));
        assertThat(m.openChannels()).isZero();
        assertThat(m.threadsEnded()).isTrue();
        assertThatThrownBy(() -> m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the manager is closed");
    }

    @Test
    void oneRunAtATimeAndEndpointsWaitingBetweenRunsJoinTheNext() throws Exception {
        try (Manager m = manager().attempts(1).build()) {
            Run<Integer> first = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
            assertThatThrownBy(() -> m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("one run at a time");
            try (FakeEndpoint a = endpoint(m)) {
                a.serveSetup("a");
                a.serveReads((byte) 1);
            }
            assertThat(first.await().values()).containsExactly(1);
            try (FakeEndpoint b = endpoint(m)) {
                Run<Integer> second = m.startHosted(new ScriptHost<>(READ_CLOCK), RunListener.none());
                b.serveSetup("b");
                b.serveReads((byte) 2);
                assertThat(second.await().values()).containsExactly(2);
            }
        }
    }

    @Test
    void newBuilderDerivesAManagerAndLeavesTheFirstUntouched() throws Exception {
        try (Manager first = manager().hostId("lab-*").attempts(2).build();
             Manager second = first.newBuilder().attempts(5).build()) {
            assertThat(second.attempts()).isEqualTo(5);
            assertThat(second.hostIdPattern()).contains("lab-*");
            assertThat(second.identities()).isEqualTo(first.identities());
            assertThat(first.attempts()).isEqualTo(2);
            assertThat(second.boundAddress().getPort()).isNotEqualTo(first.boundAddress().getPort());
        }
    }

    @Test
    void builderChecksEachSettingAtOnce() {
        Manager.Builder b = Manager.builder();
        assertThatThrownBy(() -> b.attempts(0)).hasMessage("attempts < 1");
        assertThatThrownBy(() -> b.hostId("a;b")).hasMessageContaining("not a valid xdescr value");
        assertThatThrownBy(() -> b.setupTimeout(Duration.ZERO)).hasMessage("setup timeout <= 0");
        assertThatThrownBy(() -> b.maxFrameBody(10)).hasMessageContaining("max frame body 10");
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessage("a manager needs at least one identity");
        assertThatThrownBy(() -> b.identity(CONTROLLER).identity(CONTROLLER.withDefault(true)))
                .hasMessage("two identities share a snikey");
    }
}
