package org.packetlab.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
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
import org.packetlab.lab.DnsResponder;
import org.packetlab.lab.HttpTarget;
import org.packetlab.manager.Identity;
import org.packetlab.manager.Manager;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.SocketFailedException;
import org.packetlab.mlet.TcpSocket;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;

/**
 * The example mlets end to end: a real manager (listen mode) and a real endpoint talking TLS 1.3
 * on loopback with the reference credentials, the endpoint measuring the lab's HTTP target and
 * DNS responder.
 */
@Timeout(30)
class ExamplesEndToEndTest {

    static HttpTarget web;
    static DnsResponder dns;
    static Manager manager;
    static Endpoint endpoint;

    @BeforeAll
    static void startLab() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        web = HttpTarget.start(loopback);
        dns = DnsResponder.builder().address(loopback).host("pktlab.test", InetAddress.getByName("127.0.0.3")).start();
        Identity controller = Identity.of(key("k_xc"), List.of(cert("exppriv_eop_exper"), cert("pubcmd_exper_xc")),
                List.of(pub("k_eop"))).withDefault(true);
        manager = Manager.builder().identity(controller).listen(loopback).attempts(1).build();
        endpoint = Endpoint.builder().privateKey(key("k_ep")).chain(List.of(cert("subcmd_eop_ep")))
                .trustedRoots(List.of(pub("k_eop"))).localAddress("127.0.0.1/8").localAddress("::1")
                .dnsResolver("127.0.0.1").hostId("e2e-endpoint").build();
    }

    @AfterAll
    static void stopLab() {
        endpoint.close();
        manager.close();
        dns.close();
        web.close();
    }

    /** Runs {@code mlet} once: one endpoint session through the manager. */
    private static <T> EndpointResult<T> runOnce(Mlet<T> mlet) throws Exception {
        Run<T> run = manager.start(mlet, RunListener.none());
        CompletableFuture<SessionOutcome> session = endpoint.connect(manager.boundAddress(), Optional.empty());
        Results<T> results = run.await(Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("the run did not end"));
        session.get(10, TimeUnit.SECONDS);
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    @Test
    void httpGetFetchesTheTargetsPageThroughTheEndpoint() throws Exception {
        int port = web.address().getPort();
        long served = web.requestsServed();
        EndpointResult<HttpGet.Result> r = runOnce(ep -> HttpGet.fetch(ep, "127.0.0.1", port, "/"));
        assertThat(r.status()).as(r.error()).isEqualTo(EndpointResult.Status.OK);
        assertThat(r.hostId()).isEqualTo("e2e-endpoint");
        HttpGet.Result get = r.value();
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(new String(get.body(), US_ASCII)).isEqualTo(HttpTarget.INDEX_PAGE);
        assertThat(get.lastByteAt()).isAfterOrEqualTo(get.sentAt());
        assertThat(get.endpointElapsed()).isLessThan(Duration.ofSeconds(5));
        assertThat(web.requestsServed()).isEqualTo(served + 1);
    }

    @Test
    void dnsResolvesTheLabNameThroughTheEndpoint() throws Exception {
        String resolver = "127.0.0.1:" + dns.address().getPort();
        EndpointResult<Dns.Result> r = runOnce(Dns.fromArgs("pktlab.test", resolver));
        assertThat(r.status()).as(r.error()).isEqualTo(EndpointResult.Status.OK);
        assertThat(r.value().summary()).isEqualTo("pktlab.test is 127.0.0.3");
        assertThat(r.value().endpointRtt()).isPositive().isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void vmemDumpShowsWhatTheEndpointExports() throws Exception {
        EndpointResult<VmemDump.Result> r = runOnce(VmemDump.fromArgs());
        assertThat(r.status()).as(r.error()).isEqualTo(EndpointResult.Status.OK);
        VmemDump.Result v = r.value();
        assertThat(v.hostId()).isEqualTo("e2e-endpoint");
        assertThat(v.transports()).containsExactlyInAnyOrder(Proto.TCP, Proto.UDP);
        assertThat(v.localAddresses()).extracting(Object::toString).containsExactly("127.0.0.1/8", "0:0:0:0:0:0:0:1");
        assertThat(v.dnsServers()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(v.bufMax()).isPositive();
        assertThat(v.sockets()).isEmpty();
        assertThat(Duration.between(r.start(), v.clock()).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void aRefusedConnectionIsReportedWithTheSocketState() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        EndpointResult<SocketState> r = runOnce(ep -> {
            try (TcpSocket s = ep.tcp("127.0.0.1", closedPort)) {
                s.awaitConnected();
                return SocketState.OPEN;
            } catch (SocketFailedException e) {
                return e.state();
            }
        });
        assertThat(r.status()).as(r.error()).isEqualTo(EndpointResult.Status.OK);
        assertThat(r.value()).isEqualTo(SocketState.REFUSED);
    }

    private static byte[] vector(String path) {
        try (InputStream in = ExamplesEndToEndTest.class.getResourceAsStream("/vectors/creds-reference/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource /vectors/creds-reference/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ed25519PrivateKey key(String name) {
        return Ed25519PrivateKey.parsePem(new String(vector("keys/" + name), US_ASCII));
    }

    private static Ed25519PublicKey pub(String name) {
        return Ed25519PublicKey.parsePem(new String(vector("keys/" + name + ".pub"), US_ASCII));
    }

    private static Cert cert(String name) throws CertException {
        return Cert.parse(vector("certs/" + name + ".cert"));
    }
}
