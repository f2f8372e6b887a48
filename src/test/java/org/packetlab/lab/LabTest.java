package org.packetlab.lab;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.examples.Dns;
import org.packetlab.examples.HttpGet;
import org.packetlab.examples.VmemDump;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.LocalAddress;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.packetlab.wire.Proto;

/**
 * The embedded lab end to end: real TLS 1.3 between a real manager and real endpoints on loopback,
 * the example mlets measuring the lab's own web server and DNS responder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabTest {

    private static final int ENDPOINTS = 3;
    private static final Set<String> HOST_IDS = Set.of("ep1", "ep2", "ep3");

    /** One lab for the tests that only run mlets: it must serve any number of runs in a row. */
    private static Lab lab;

    @BeforeAll
    static void startLab() throws IOException {
        lab = Lab.local().endpoints(ENDPOINTS).start();
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    private static int webPort() {
        return lab.httpTarget().getPort();
    }

    @Test
    void httpGetThroughThreeEndpointsReturnsThePageWithEndpointTimesInOrder() throws Exception {
        Instant before = Instant.now();
        Results<HttpGet.Result> r = lab.run(ep -> HttpGet.fetch(ep, "127.0.0.1", webPort(), "/index.html"));
        Instant after = Instant.now();

        assertThat(r).hasSize(ENDPOINTS);
        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.stream().map(EndpointResult::hostId).collect(Collectors.toSet())).isEqualTo(HOST_IDS);
        for (EndpointResult<HttpGet.Result> e : r) {
            HttpGet.Result v = e.value();
            assertThat(v.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(v.statusCode()).isEqualTo(200);
            assertThat(new String(v.body(), UTF_8)).isEqualTo(HttpTarget.INDEX_PAGE);
            assertThat(v.server()).isEqualTo(lab.httpTarget());
            // the endpoint's clock is this machine's: its times fall inside the test's window, send before receive
            assertThat(v.sentAt()).isBetween(before, after);
            assertThat(v.lastByteAt()).isBetween(before, after);
            assertThat(v.sentAt()).isBefore(v.lastByteAt());
            assertThat(e.start()).isBetween(before, after);
            assertThat(e.end()).isBetween(e.start(), after);
            assertThat(e.endpoint().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void dnsThroughEveryEndpointAnswersPktlabTestWith127003() throws Exception {
        Results<Dns.Result> r = lab.run(ep -> Dns.query(ep, "pktlab.test", lab.dns()));

        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.values()).hasSize(ENDPOINTS).allSatisfy(v -> {
            assertThat(v.addresses()).containsExactly(InetAddress.getByName("127.0.0.3"));
            assertThat(v.summary()).isEqualTo("pktlab.test is 127.0.0.3");
            assertThat(v.sentAt()).isBefore(v.answeredAt());
        });
    }

    @Test
    void dnsMletFindsTheLabResponderAmongTheEndpointsExportedResolvers() throws Exception {
        Results<List<InetAddress>> r = lab.run(ep -> ep.dnsServers());

        assertThat(r.values()).hasSize(ENDPOINTS).allSatisfy(servers -> assertThat(servers).containsExactly(lab.dns().getAddress()));
    }

    @Test
    void vmemDumpShowsEachEndpointsOwnHostIdAndLoopbackAddresses() throws Exception {
        Results<VmemDump.Result> r = lab.run(VmemDump::read);

        assertThat(r.failures()).as(r.toString()).isEmpty();
        assertThat(r.values().stream().map(VmemDump.Result::hostId).toList()).containsExactlyInAnyOrderElementsOf(HOST_IDS);
        for (EndpointResult<VmemDump.Result> e : r) {
            VmemDump.Result v = e.value();
            assertThat(v.hostId()).as("the manager read the same host id").isEqualTo(e.hostId());
            assertThat(v.transports()).containsExactlyInAnyOrder(Proto.TCP, Proto.UDP);
            assertThat(v.localAddresses().getFirst().toString()).isEqualTo("127.0.0.1/8");
            assertThat(v.localAddresses()).extracting(LocalAddress::toString)
                    .containsAnyOf("::1", "127.0.0.1/8").hasSizeBetween(1, 2);
            assertThat(v.dnsServers()).containsExactly(InetAddress.getByName("127.0.0.1"));
            assertThat(v.table().toText()).contains("hostid", v.hostId());
        }
    }

    @Test
    void anMletThatThrowsOnOneEndpointIsRecordedThereWhileTheOthersSucceed() throws Exception {
        Results<String> r = lab.run(ep -> {
            if (ep.hostId().equals("ep2")) {
                throw new IOException("ep2 is not wanted here");
            }
            return HttpGet.fetch(ep, "127.0.0.1", webPort(), "/").statusLine();
        });

        assertThat(r).hasSize(ENDPOINTS);
        assertThat(r.failures()).singleElement().satisfies(f -> {
            assertThat(f.hostId()).isEqualTo("ep2");
            assertThat(f.status()).isEqualTo(Status.MLET_FAILED);
            assertThat(f.error()).isEqualTo("ep2 is not wanted here");
        });
        assertThat(r.withStatus(Status.OK)).extracting(EndpointResult::hostId).containsExactlyInAnyOrder("ep1", "ep3");
        assertThat(r.values()).containsOnly("HTTP/1.0 200 OK");
        assertThat(r.summary()).startsWith("3 endpoints: 2 ok, 1 mlet failed");
    }

    @Test
    void twoRunsInARowEachGetEveryEndpointInANewSession() throws Exception {
        Results<String> first = lab.run(ep -> ep.hostId());
        Results<String> second = lab.run(ep -> ep.hostId());

        assertThat(first.values()).containsExactlyInAnyOrderElementsOf(HOST_IDS);
        assertThat(second.values()).containsExactlyInAnyOrderElementsOf(HOST_IDS);
        Instant firstOver = first.stream().map(EndpointResult::end).max(Instant::compareTo).orElseThrow();
        assertThat(second).allSatisfy(e -> assertThat(e.start()).isAfterOrEqualTo(firstOver));
    }

    @Test
    void listenerHearsEachEndpointStartAndFinishThenTheRunEnd() throws Exception {
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        RunListener<String> listener = new RunListener<>() {
            @Override
            public void sessionStarted(EndpointRef endpoint, String hostId) {
                events.add("started " + hostId);
            }

            @Override
            public void mletFinished(EndpointRef endpoint, EndpointResult<? extends String> result) {
                events.add("finished " + result.hostId() + " " + result.status());
            }

            @Override
            public void runFinished(Results<? extends String> results) {
                events.add("run over " + results.size());
            }
        };

        Results<String> r = lab.run(ep -> ep.hostId(), listener);

        assertThat(r.values()).hasSize(ENDPOINTS);
        assertThat(events).containsExactlyInAnyOrder("started ep1", "started ep2", "started ep3",
                "finished ep1 OK", "finished ep2 OK", "finished ep3 OK", "run over 3");
        assertThat(events).last().isEqualTo("run over 3");
    }

    @Test
    void aSecondRunWhileOneIsInProgressIsRefused() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Run<String> run = lab.start(ep -> {
            release.await();
            return ep.hostId();
        }, RunListener.none());
        try {
            assertThatThrownBy(() -> lab.run(ep -> "no")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("a run is in progress");
        } finally {
            release.countDown();
        }
        assertThat(run.await().values()).containsExactlyInAnyOrderElementsOf(HOST_IDS);
    }

    @Test
    void closeLeavesNoThreadNoListeningSocketAndNoTemporaryHome() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Lab own = Lab.local().endpoints(2).start();
        Path home = own.home().dir();
        InetSocketAddress manager = own.manager().boundAddress();
        InetSocketAddress web = own.httpTarget();
        assertThat(own.isTemporaryHome()).isTrue();
        assertThat(own.run(ep -> HttpGet.fetch(ep, "127.0.0.1", web.getPort(), "/").statusCode()).values())
                .containsExactly(200, 200);

        own.close();

        assertThat(own.threadsEnded()).isTrue();
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && t.getName().startsWith("pktlab"))
                .map(Thread::getName).toList();
        assertThat(left).as("threads the lab started and left running").isEmpty();
        assertThatThrownBy(() -> new Socket(manager.getAddress(), manager.getPort()).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket(web.getAddress(), web.getPort()).close()).isInstanceOf(ConnectException.class);
        assertThat(home).doesNotExist();
        assertThatThrownBy(() -> own.run(ep -> "late")).isInstanceOf(IllegalStateException.class).hasMessage("the lab is closed");
        own.close(); // idempotent
    }

    @Test
    void aGivenHomeIsInitialisedWhenMissingThenKeptAndReused(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        try (Lab first = Lab.local().home(home).start()) {
            assertThat(first.isTemporaryHome()).isFalse();
            assertThat(first.run(ep -> ep.hostId()).values()).containsExactly("ep1");
        }
        assertThat(PktlabHome.at(home).isInitialized()).as("a given home outlives the lab").isTrue();
        String key = Files.readString(PktlabHome.at(home).privateKeyFile(PktlabHome.K_EP));

        try (Lab second = Lab.local().home(home).start()) {
            assertThat(second.run(ep -> ep.hostId()).values()).containsExactly("ep1");
        }
        assertThat(Files.readString(PktlabHome.at(home).privateKeyFile(PktlabHome.K_EP))).as("not initialised again").isEqualTo(key);
    }

    @Test
    void aCancelledRunReportsEveryEndpointCancelledAndTheLabServesTheNextRun() throws Exception {
        CountDownLatch allStarted = new CountDownLatch(ENDPOINTS);
        Run<String> run = lab.start(ep -> {
            new CountDownLatch(1).await(); // returns only when the run interrupts it
            return "unreachable";
        }, new RunListener<>() {
            @Override
            public void sessionStarted(EndpointRef endpoint, String hostId) {
                allStarted.countDown();
            }
        });
        assertThat(allStarted.await(30, TimeUnit.SECONDS)).isTrue();

        run.cancel();

        assertThat(run.await()).hasSize(ENDPOINTS).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.CANCELLED));
        assertThat(lab.run(ep -> ep.hostId(), Duration.ofSeconds(30)).values()).as("the next run").hasSize(ENDPOINTS);
    }

    @Test
    void endpointCountsOutsideTheRangeAreRefusedAtOnce() {
        assertThatThrownBy(() -> Lab.local().endpoints(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..");
        assertThatThrownBy(() -> Lab.local().endpoints(Lab.MAX_ENDPOINTS + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
