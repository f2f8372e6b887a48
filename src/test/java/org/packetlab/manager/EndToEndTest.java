package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.lab.HttpTarget;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.TcpSocket;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.packetlab.results.Summarizable;
import org.packetlab.tls.TlsIdentity;

/** The manager with the real endpoint (org.packetlab.endpoint) on loopback, real TLS both ways. */
@Timeout(60)
class EndToEndTest {
    static final long WAIT = 20;

    static Endpoint endpoint(TlsIdentity id, String hostId) {
        return Endpoint.builder().privateKey(id.key()).chain(id.chain()).trustedRoots(List.of(Creds.pub("k_eop")))
                .localAddress("127.0.0.1/8").hostId(hostId).build();
    }

    static CompletableFuture<SessionOutcome> connect(Endpoint ep, Manager m) {
        return ep.connect(m.boundAddress(), Optional.of(ManagerTest.CONTROLLER.snikey()));
    }

    @Test
    void httpGetExampleMletFetchesThePageThroughARealEndpoint() throws Exception {
        try (HttpTarget target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
             Manager m = ManagerTest.manager().attempts(1).build();
             Endpoint ep = endpoint(Creds.endpoint(), "lab-1")) {
            @SuppressWarnings("unchecked")
            Mlet<Object> httpGet = (Mlet<Object>) Mlet.load("HttpGet", "127.0.0.1:" + target.address().getPort(), "/");
            Run<Object> run = m.start(httpGet, RunListener.none());
            CompletableFuture<SessionOutcome> outcome = connect(ep, m);

            Results<Object> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();

            assertThat(r).singleElement().satisfies(e -> {
                assertThat(e.status()).as(e.summary()).isEqualTo(Status.OK);
                assertThat(e.hostId()).isEqualTo("lab-1");
                assertThat(((Summarizable) e.value()).summary()).startsWith("HTTP/1.0 200 OK, " + HttpTarget.INDEX_PAGE.length() + " body bytes");
            });
            assertThat(outcome.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
            assertThat(target.requestsServed()).isEqualTo(1);
        }
    }

    @Test
    void endpointsOfAnUntrustedOperatorAreRefusedAndTrustedOnesServed() throws Exception {
        try (Manager m = ManagerTest.manager().attempts(1).build();
             Endpoint stranger = endpoint(Creds.strangerEndpoint(), "stranger");
             Endpoint trusted = endpoint(Creds.endpoint(), "trusted")) {
            Events<String> events = new Events<>();
            Run<String> run = m.start(session -> session.hostId(), events);
            SessionOutcome refused = connect(stranger, m).get(WAIT, TimeUnit.SECONDS);
            // TLS 1.3: the endpoint learns of the refusal of its chain from the manager's alert
            assertThat(refused.isNormalEnd()).isFalse();
            assertThat(refused.describe()).contains("certificate_unknown");
            events.await("refused #1");
            connect(trusted, m).get(WAIT, TimeUnit.SECONDS);
            Results<String> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.REFUSED, Status.OK);
            assertThat(r.get(0).error()).startsWith("TLS handshake failed: ").contains("NO_MATCHING_SIGN_KEY");
            assertThat(r.values()).containsExactly("trusted");
        }
    }

    @Test
    void hostIdPatternPicksTheMatchingRealEndpoints() throws Exception {
        try (Manager m = ManagerTest.manager().hostId("lab-*").attempts(2).build();
             Endpoint lab1 = endpoint(Creds.endpoint(), "lab-1");
             Endpoint other = endpoint(Creds.endpoint(), "home-router");
             Endpoint lab2 = endpoint(Creds.endpoint(), "lab-2")) {
            Run<String> run = m.start(session -> session.hostId(), RunListener.none());
            for (Endpoint ep : List.of(lab1, other, lab2)) {
                assertThat(connect(ep, m).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            }
            Results<String> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.OK, Status.SKIPPED, Status.OK);
            assertThat(r.values()).containsExactly("lab-1", "lab-2");
        }
    }

    @Test
    void manySessionsOfRealEndpointsAtOnceAllComplete() throws Exception {
        int n = 40;
        try (HttpTarget target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
             Manager m = ManagerTest.manager().attempts(n).build();
             Endpoint ep = endpoint(Creds.endpoint(), "many")) {
            int port = target.address().getPort();
            Mlet<Integer> mlet = session -> {
                try (TcpSocket s = session.tcp("127.0.0.1", port)) {
                    s.send("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    return s.readUntilClose().bytes().length;
                }
            };
            Run<Integer> run = m.start(mlet, RunListener.none());
            List<CompletableFuture<SessionOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                outcomes.add(connect(ep, m));
            }
            Results<Integer> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
            assertThat(r).hasSize(n).allSatisfy(e -> assertThat(e.status()).as(e.summary()).isEqualTo(Status.OK));
            assertThat(r.values()).allMatch(len -> len > HttpTarget.INDEX_PAGE.length());
            for (CompletableFuture<SessionOutcome> o : outcomes) {
                assertThat(o.get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            }
            assertThat(target.requestsServed()).isEqualTo(n);
        }
    }

    @Test
    void mletThatThrowsOnARealEndpointIsRecordedAndTheEndpointSeesANormalEnd() throws Exception {
        try (Manager m = ManagerTest.manager().attempts(2).build();
             Endpoint ep = endpoint(Creds.endpoint(), "lab")) {
            AtomicInteger calls = new AtomicInteger();
            Run<Long> run = m.start(session -> {
                long now = session.clockNanos();
                if (calls.incrementAndGet() == 1) {
                    throw new ArithmeticException("bad math");
                }
                return now;
            }, RunListener.none());
            assertThat(connect(ep, m).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            assertThat(connect(ep, m).get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            Results<Long> r = run.await(Duration.ofSeconds(WAIT)).orElseThrow();
            assertThat(r).extracting(EndpointResult::status).containsExactly(Status.MLET_FAILED, Status.OK);
            assertThat(r.get(0).error()).isEqualTo("ArithmeticException: bad math");
            assertThat(r.values()).singleElement().satisfies(t -> assertThat(t).isPositive());
        }
    }

    @Test
    void closingTheManagerEndsRealSessionsAndTheEndpointCarriesOn() throws Exception {
        try (Endpoint ep = endpoint(Creds.endpoint(), "lab")) {
            Manager m = ManagerTest.manager().stopTimeout(Duration.ZERO).build();
            CompletableFuture<Void> inMlet = new CompletableFuture<>();
            Run<Object> run = m.start(session -> {
                inMlet.complete(null);
                new CountDownLatch(1).await();
                return null;
            }, RunListener.none());
            CompletableFuture<SessionOutcome> outcome = connect(ep, m);
            inMlet.get(WAIT, TimeUnit.SECONDS);
            m.close();
            assertThat(run.await().get(0).status()).isEqualTo(Status.CANCELLED);
            assertThat(outcome.get(WAIT, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            assertThat(m.openChannels()).isZero();
            assertThat(m.threadsEnded()).isTrue();
            assertThat(ep.activeSessions()).isZero();
        }
    }
}
