package org.packetlab.lab;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.examples.Dns;
import org.packetlab.examples.HttpGet;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Manager;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Datagram;
import org.packetlab.mlet.ReceivedStream;
import org.packetlab.mlet.SendOptions;
import org.packetlab.mlet.Sent;
import org.packetlab.mlet.TcpSocket;
import org.packetlab.mlet.UdpSocket;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;

/**
 * Everything together, as a user runs it: real managers and real endpoints over real TLS 1.3 on
 * loopback, each with the credentials of a {@code pktlab init} home, measuring real targets. The
 * components' own tests use scripted peers; these check that the real peers agree with each other.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EndToEndTest {

    private static final InetAddress V4 = Loopback.ipv4();
    private static final InetAddress V6 = v6();

    @TempDir
    Path dir;

    private static InetAddress v6() {
        try {
            return InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new IllegalStateException("::1 is a literal", e);
        }
    }

    @Test
    void tcpAndUdpOverIpv4AndIpv6ReachTheTargetsWithEndpointTimesAndTags() throws Exception {
        try (Lab lab = Lab.local().endpoints(2).start();
             HttpTarget web6 = HttpTarget.start(new InetSocketAddress(V6, 0));
             DnsResponder dns6 = DnsResponder.start(new InetSocketAddress(V6, 0))) {
            List<InetSocketAddress> webs = List.of(lab.httpTarget(), web6.address());
            List<InetSocketAddress> resolvers = List.of(lab.dns(), dns6.address());
            Instant before = Instant.now();

            Results<List<String>> r = lab.run(ep -> {
                List<String> seen = new ArrayList<>();
                for (InetSocketAddress web : webs) {
                    try (TcpSocket s = ep.tcp(web)) {
                        Sent sent = s.send(("GET /index.html HTTP/1.0\r\n\r\n").getBytes(US_ASCII), SendOptions.defaults().tag(77));
                        ReceivedStream reply = s.readUntilClose();
                        assertThat(sent.tag()).isEqualTo(77);
                        assertThat(sent.sentAt()).isBefore(reply.lastTime());
                        seen.add("tcp " + web.getAddress().getHostAddress() + " " + new String(reply.bytes(), US_ASCII).lines().findFirst().orElse(""));
                    }
                }
                for (InetSocketAddress resolver : resolvers) {
                    Dns.Result d = Dns.query(ep, "pktlab.test", resolver);
                    assertThat(d.sentAt()).isBefore(d.answeredAt());
                    seen.add("udp " + resolver.getAddress().getHostAddress() + " " + d.summary());
                }
                return seen;
            });

            assertThat(r.failures()).as(r.toString()).isEmpty();
            assertThat(r.values()).hasSize(2).allSatisfy(seen -> assertThat(seen).containsExactly(
                    "tcp 127.0.0.1 HTTP/1.0 200 OK",
                    "tcp 0:0:0:0:0:0:0:1 HTTP/1.0 200 OK",
                    "udp 127.0.0.1 pktlab.test is 127.0.0.3",
                    "udp 0:0:0:0:0:0:0:1 pktlab.test is 127.0.0.3"));
            assertThat(r).allSatisfy(e -> assertThat(e.start()).isAfterOrEqualTo(before));
            assertThat(web6.requestsServed()).isEqualTo(2);
            assertThat(dns6.queriesAnswered()).isEqualTo(2);
        }
    }

    @Test
    void aLargeDownloadArrivesWholeThroughManagerAndEndpoint() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        try (Lab lab = Lab.local().start()) {
            int port = lab.httpTarget().getPort();

            Results<HttpGet.Result> r = lab.run(ep -> HttpGet.fetch(ep, "127.0.0.1", port, "/bytes/" + size));

            HttpGet.Result v = r.values().getFirst();
            assertThat(v.statusCode()).isEqualTo(200);
            byte[] body = v.body();
            assertThat(body).hasSize(size);
            for (int i = 0; i < size; i += 4099) {
                assertThat(body[i]).as("byte %d", i).isEqualTo(BulkBody.byteAt(i));
            }
            assertThat(body[size - 1]).isEqualTo(BulkBody.byteAt(size - 1));
        }
    }

    @Test
    void sixteenEndpointsAtOnceEachRunTheirSession() throws Exception {
        try (Lab lab = Lab.local().endpoints(16).start()) {
            int port = lab.httpTarget().getPort();

            Results<String> r = lab.run(ep -> ep.hostId() + " " + HttpGet.fetch(ep, "127.0.0.1", port, "/").statusCode());

            assertThat(r.failures()).as(r.toString()).isEmpty();
            assertThat(r.values()).hasSize(16).doesNotHaveDuplicates().allMatch(v -> v.matches("ep\\d+ 200"));
        }
    }

    @Test
    void anEndpointVanishingMidSessionFailsOnlyItsOwnSession() throws Exception {
        try (Lab lab = Lab.local().endpoints(3).start()) {
            CountDownLatch ep2Waiting = new CountDownLatch(1);
            Run<String> run = lab.start(ep -> {
                String id = ep.hostId();
                if (id.equals("ep2")) {
                    try (UdpSocket s = ep.udp()) {
                        ep2Waiting.countDown();
                        Datagram never = s.receive(Duration.ofSeconds(60));
                        return "unexpected " + never;
                    }
                }
                return id;
            }, RunListener.none());
            assertThat(ep2Waiting.await(30, TimeUnit.SECONDS)).isTrue();

            lab.endpoint(1).close();

            Results<String> r = run.await();
            assertThat(r).hasSize(3);
            assertThat(r.failures()).singleElement().satisfies(f -> {
                assertThat(f.hostId()).isEqualTo("ep2");
                assertThat(f.status()).isEqualTo(Status.SESSION_FAILED);
                assertThat(f.error()).startsWith("session lost");
            });
            assertThat(r.values()).containsExactlyInAnyOrder("ep1", "ep3");
        }
    }

    @Test
    void anEndpointOfAnotherOperatorIsRefusedByTheManagerWithTheReasonAndTheRunGoesOn() throws Exception {
        PktlabHome other = PktlabHome.at(dir.resolve("other"));
        other.init(false);
        try (Lab lab = Lab.local().endpoints(2).start();
             // it trusts the lab's operator, so the manager is the side that refuses: its chain is the other operator's
             Endpoint stranger = Lab.Builder.endpointBuilder(other.endptConf().config(), lab.dns())
                     .trustedRoots(List.of(lab.home().publicKey(PktlabHome.K_EOP))).hostId("stranger").build()) {
            CompletableFuture<EndpointResult<?>> refused = new CompletableFuture<>();
            CountDownLatch strangerAccepted = new CountDownLatch(1);
            // driven through the lab's manager directly: the stranger must take a slot of the run
            // before the lab's endpoints fill the attempt count
            Run<String> run = lab.manager().start(ep -> ep.hostId(), new RunListener<>() {
                @Override
                public void endpointConnected(EndpointRef endpoint) {
                    strangerAccepted.countDown();
                }

                @Override
                public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends String> result) {
                    refused.complete(result);
                }
            });
            CompletableFuture<SessionOutcome> outcome = stranger.connect(lab.manager().boundAddress(), Optional.empty());
            assertThat(strangerAccepted.await(30, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<SessionOutcome>> labOutcomes = List.of(
                    lab.endpoint(0).connect(lab.manager().boundAddress(), Optional.empty()),
                    lab.endpoint(1).connect(lab.manager().boundAddress(), Optional.empty()));

            Results<String> r = run.await();

            // in TLS 1.3 the client's handshake is over before the server judges its certificate: the
            // endpoint learns of the refusal from the alert that follows
            SessionOutcome strangerOutcome = outcome.get(30, TimeUnit.SECONDS);
            assertThat(strangerOutcome.isNormalEnd()).isFalse();
            assertThat(strangerOutcome.describe()).contains("certificate_unknown");
            EndpointResult<?> atManager = refused.get(30, TimeUnit.SECONDS);
            assertThat(atManager.status()).isEqualTo(Status.REFUSED);
            assertThat(atManager.error()).contains("chain");
            assertThat(r).hasSize(3);
            assertThat(r.withStatus(Status.REFUSED)).singleElement().isEqualTo(atManager);
            assertThat(r.values()).containsExactlyInAnyOrder("ep1", "ep2");
            for (CompletableFuture<SessionOutcome> o : labOutcomes) {
                assertThat(o.get(30, TimeUnit.SECONDS).isNormalEnd()).isTrue();
            }
        }
    }

    @Test
    void anEndpointRefusesAManagerOfAnotherOperatorWithTheReason() throws Exception {
        PktlabHome other = PktlabHome.at(dir.resolve("other"));
        other.init(false);
        try (Lab lab = Lab.local().start();
             Manager foreign = Manager.builder().config(other.xpmgrConf().config())
                     .listen(new InetSocketAddress(V4, 0)).attempts(1).build()) {
            CompletableFuture<EndpointResult<?>> refused = new CompletableFuture<>();
            Run<String> run = foreign.start(ep -> "never", new RunListener<String>() {
                @Override
                public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends String> result) {
                    refused.complete(result);
                }
            });

            SessionOutcome outcome = lab.endpoint(0).connect(foreign.boundAddress(), Optional.empty()).get(30, TimeUnit.SECONDS);
            EndpointResult<?> atManager = refused.get(30, TimeUnit.SECONDS);
            run.stop();
            Results<String> r = run.await();

            assertThat(outcome).isInstanceOfSatisfying(SessionOutcome.TlsRefused.class,
                    t -> assertThat(t.reason()).isNotBlank());
            assertThat(atManager.status()).isEqualTo(Status.REFUSED);
            assertThat(r.values()).isEmpty();
            assertThat(r).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(Status.REFUSED));
            // the endpoint carries on: the lab's own manager still gets its session
            assertThat(lab.run(ep -> ep.hostId()).values()).containsExactly("ep1");
        }
    }
}
