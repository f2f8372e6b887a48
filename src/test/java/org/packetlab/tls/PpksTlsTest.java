package org.packetlab.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Snikey;

/** Real TLS 1.3 handshakes on loopback between Netty clients and servers using the PPKS trust and key managers. */
@Timeout(30)
class PpksTlsTest {
    private static final long WAIT = 10;

    private static byte[] vector(String path) {
        try (InputStream in = PpksTlsTest.class.getResourceAsStream("/vectors/creds-reference/" + path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Ed25519PrivateKey key(String name) {
        return Ed25519PrivateKey.parsePem(new String(vector("keys/" + name), StandardCharsets.US_ASCII));
    }

    private static Ed25519PublicKey pub(String name) {
        return Ed25519PublicKey.parsePem(new String(vector("keys/" + name + ".pub"), StandardCharsets.US_ASCII));
    }

    private static Cert cert(String name) {
        try {
            return Cert.parse(vector("certs/" + name + ".cert"));
        } catch (CertException e) {
            throw new AssertionError(e);
        }
    }

    /** The reference's controller identity: the chain file order puts exppriv first, as in xpmgr.conf. */
    private static TlsIdentity controller() {
        return TlsIdentity.of(key("k_xc"), List.of(cert("exppriv_eop_exper"), cert("pubcmd_exper_xc")));
    }

    private static TlsIdentity endpoint() {
        return TlsIdentity.of(key("k_ep"), List.of(cert("subcmd_eop_ep")));
    }

    private static TlsLoopback.Outcome await(java.util.concurrent.CompletableFuture<TlsLoopback.Outcome> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void vectorCredentialsAuthenticateControllerAndEndpointBothWays() throws Exception {
        Snikey snikey = Snikey.random();
        PpksTls.Server server = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .entry(snikey, controller(), List.of(pub("k_eop"))).build();
        PpksTls.Client client = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER)
                .roots(List.of(pub("k_eop"))).identity(endpoint()).sni(snikey).build();
        try (TlsLoopback loop = new TlsLoopback(server)) {
            TlsLoopback.Outcome c = await(loop.connect(client));
            TlsLoopback.Outcome s = await(loop.server);
            assertThat(c.ok()).as(c.reasons()).isTrue();
            assertThat(s.ok()).as(s.reasons()).isTrue();
            assertThat(c.session().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(c.applicationProtocol()).isNull();
            assertThat(loop.sni.get(WAIT, TimeUnit.SECONDS).hostname()).isEqualTo(snikey.value());

            Verdict.Verified controllerChain = PpksTls.peerVerdict(c.session()).orElseThrow();
            assertThat(controllerChain.chain()).containsExactly(cert("pubcmd_exper_xc"), cert("exppriv_eop_exper"));
            assertThat(controllerChain.publishableChannel()).isEqualTo(pub("k_eop").keyId());
            Verdict.Verified endpointChain = PpksTls.peerVerdict(s.session()).orElseThrow();
            assertThat(endpointChain.leaf()).isEqualTo(cert("subcmd_eop_ep"));
            assertThat(endpointChain.subscribableChannels()).containsExactly(pub("k_eop").keyId());
            // the server sent its chain leaf first, whatever the configured order
            assertThat(c.session().getPeerCertificates()[0].getEncoded()).isEqualTo(cert("pubcmd_exper_xc").der());
        }
    }

    @Test
    void agentCertificatesAuthenticateBrokerAndClient() throws Exception {
        PpksTls.Server broker = PpksTls.server(VerifyMode.AGENT)
                .defaultEntry(TlsIdentity.of(key("k_xc"), List.of(cert("agent_xc_xc"))), List.of()).build();
        PpksTls.Client client = PpksTls.client(VerifyMode.AGENT).roots(List.of(pub("k_xc")))
                .identity(TlsIdentity.of(key("k_ep"), List.of(cert("agent_ep_ep")))).build();
        try (TlsLoopback loop = new TlsLoopback(broker)) {
            TlsLoopback.Outcome c = await(loop.connect(client));
            assertThat(c.ok()).as(c.reasons()).isTrue();
            assertThat(PpksTls.peerVerdict(await(loop.server).session()).orElseThrow().leaf()).isEqualTo(cert("agent_ep_ep"));
            assertThat(loop.sni.get(WAIT, TimeUnit.SECONDS).hostname()).isNull();
        }
    }

    @Test
    void agentServerRequiresAClientCertificateEvenWithoutRoots() throws Exception {
        PpksTls.Server broker = PpksTls.server(VerifyMode.AGENT)
                .defaultEntry(TlsIdentity.of(key("k_xc"), List.of(cert("agent_xc_xc"))), List.of()).build();
        PpksTls.Client anonymous = PpksTls.client(VerifyMode.AGENT).roots(List.of(pub("k_xc"))).build();
        try (TlsLoopback loop = new TlsLoopback(broker)) {
            TlsLoopback.Outcome c = await(loop.connect(anonymous));
            TlsLoopback.Outcome s = await(loop.server);
            assertThat(s.ok()).isFalse();
            assertThat(s.reasons()).containsIgnoringCase("certificate");
            assertThat(c.ok()).isFalse();
        }
    }

    @Test
    void sniSelectsTheEntry() throws Exception {
        Ed25519PrivateKey a = Ed25519PrivateKey.generate();
        Ed25519PrivateKey b = Ed25519PrivateKey.generate();
        Snikey ka = new Snikey("alpha");
        Snikey kb = new Snikey("beta");
        PpksTls.Server server = PpksTls.server(VerifyMode.AGENT)
                .entry(ka, selfAgent(a), List.of()).entry(kb, selfAgent(b), List.of())
                .defaultEntry(selfAgent(Ed25519PrivateKey.generate()), List.of()).build();
        TlsIdentity me = selfAgent(Ed25519PrivateKey.generate());
        for (var want : List.of(new Object[] {ka, a}, new Object[] {kb, b})) {
            PpksTls.Client client = PpksTls.client(VerifyMode.AGENT).identity(me).sni((Snikey) want[0]).build();
            try (TlsLoopback loop = new TlsLoopback(server)) {
                TlsLoopback.Outcome c = await(loop.connect(client));
                assertThat(c.ok()).as(c.reasons()).isTrue();
                assertThat(PpksTls.peerVerdict(c.session()).orElseThrow().leaf().subject())
                        .isEqualTo(((Ed25519PrivateKey) want[1]).publicKey());
            }
        }
    }

    @Test
    void unknownSniIsRefusedAndTheConnectionClosed() throws Exception {
        PpksTls.Server server = PpksTls.server(VerifyMode.AGENT)
                .entry(new Snikey("known"), selfAgent(Ed25519PrivateKey.generate()), List.of()).build();
        for (PpksTls.ClientBuilder b : List.of(
                PpksTls.client(VerifyMode.AGENT).sni(new Snikey("other")),
                PpksTls.client(VerifyMode.AGENT))) {
            try (TlsLoopback loop = new TlsLoopback(server)) {
                TlsLoopback.Outcome c = await(loop.connect(b.identity(selfAgent(Ed25519PrivateKey.generate())).build()));
                assertThat(c.ok()).isFalse();
                loop.serverClosed.get(WAIT, TimeUnit.SECONDS);
                assertThat(loop.sni.get(WAIT, TimeUnit.SECONDS).cause()).isInstanceOf(PpksSniHandler.UnknownSniException.class);
                // the server closed before any handshake: its outcome is the close, not a session
                assertThat(await(loop.server).failure()).isInstanceOf(java.nio.channels.ClosedChannelException.class);
            }
        }
    }

    @Test
    void silentClientIsClosedAfterTheConfiguredHandshakeTimeout() throws Exception {
        PpksTls.Server server = PpksTls.server(VerifyMode.AGENT).handshakeTimeout(Duration.ofMillis(300))
                .defaultEntry(selfAgent(Ed25519PrivateKey.generate()), List.of()).build();
        try (TlsLoopback loop = new TlsLoopback(server); Socket silent = new Socket("127.0.0.1", loop.port())) {
            long t0 = System.nanoTime();
            silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        }
    }

    @Test
    void handshakeTimeoutMustBePositive() {
        assertThatThrownBy(() -> PpksTls.server(VerifyMode.AGENT).handshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not positive");
    }

    @Test
    void wrongRootIsRefusedByTheClientWithTheReason() throws Exception {
        PpksTls.Server server = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT).defaultEntry(controller(), List.of()).build();
        PpksTls.Client client = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER).roots(List.of(pub("caida_k_bop"))).build();
        try (TlsLoopback loop = new TlsLoopback(server)) {
            TlsLoopback.Outcome c = await(loop.connect(client));
            assertThat(c.ok()).isFalse();
            assertThat(c.reasons()).contains("NO_MATCHING_SIGN_KEY at certificate 1");
        }
    }

    @Test
    void wrongRootIsRefusedByTheServerWithTheReason() throws Exception {
        PpksTls.Server server = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .defaultEntry(controller(), List.of(pub("caida_k_bop"))).build();
        PpksTls.Client client = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER)
                .roots(List.of(pub("k_eop"))).identity(endpoint()).build();
        try (TlsLoopback loop = new TlsLoopback(server)) {
            var c = loop.connect(client);
            TlsLoopback.Outcome s = await(loop.server);
            assertThat(s.ok()).isFalse();
            assertThat(s.reasons()).contains("NO_MATCHING_SIGN_KEY at certificate 0");
            assertThat(await(c).ok()).isFalse();
        }
    }

    @Test
    void missingClientCertificateIsRefusedOnlyWhenTheEntryHasRoots() throws Exception {
        PpksTls.Client anonymous = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER).roots(List.of(pub("k_eop"))).build();
        PpksTls.Server strict = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT).defaultEntry(controller(), List.of(pub("k_eop"))).build();
        try (TlsLoopback loop = new TlsLoopback(strict)) {
            var c = loop.connect(anonymous);
            assertThat(await(loop.server).ok()).isFalse();
            assertThat(await(c).ok()).isFalse();
        }
        PpksTls.Server open = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT).defaultEntry(controller(), List.of()).build();
        try (TlsLoopback loop = new TlsLoopback(open)) {
            TlsLoopback.Outcome c = await(loop.connect(anonymous));
            TlsLoopback.Outcome s = await(loop.server);
            assertThat(c.ok()).as(c.reasons()).isTrue();
            assertThat(s.ok()).as(s.reasons()).isTrue();
            assertThat(PpksTls.peerVerdict(s.session())).isEmpty();
        }
    }

    @Test
    void aClientChainIsVerifiedEvenWhenTheEntryHasNoRoots() throws Exception {
        Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
        Ed25519PrivateKey ep = Ed25519PrivateKey.generate();
        Cert expired = Cert.subcmd().subject(ep.publicKey()).validFrom(java.time.Instant.now().minus(Duration.ofDays(2)))
                .validFor(Duration.ofDays(1)).signWith(eop);
        PpksTls.Server open = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT).defaultEntry(controller(), List.of()).build();
        PpksTls.Client client = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER)
                .identity(new TlsIdentity(List.of(expired), ep)).build();
        try (TlsLoopback loop = new TlsLoopback(open)) {
            loop.connect(client);
            TlsLoopback.Outcome s = await(loop.server);
            assertThat(s.ok()).isFalse();
            assertThat(s.reasons()).contains("EXPIRED_CERT at certificate 0");
        }
    }

    @Test
    void serverIssuesNoSessionTicketsSoAReconnectIsAFullHandshake() throws Exception {
        PpksTls.Server server = PpksTls.server(VerifyMode.AGENT)
                .defaultEntry(selfAgent(Ed25519PrivateKey.generate()), List.of()).build();
        assertThat(serverChainChecksOverTwoConnections(server)).isEqualTo(2);

        // control: the same server without the ticket switch lets a JDK client resume (no certificate the second time)
        SslContext ticketing = SslContextBuilder.forServer(new PpksKeyManager(selfAgent(Ed25519PrivateKey.generate())))
                .sslProvider(SslProvider.JDK).protocols(PpksTls.TLS_13).clientAuth(ClientAuth.REQUIRE)
                .trustManager(new PpksTrustManager(ChainVerifier.of(VerifyMode.AGENT))).build();
        assertThat(serverChainChecksOverTwoConnections(new PpksTls.Server(Map.of(), ticketing, PpksTls.DEFAULT_HANDSHAKE_TIMEOUT.toMillis()))).isEqualTo(1);
    }

    /**
     * Connects twice with a JDK client that knows the peer's host and port (so it would resume if it
     * could) and counts how often it had to check the server's chain.
     */
    private int serverChainChecksOverTwoConnections(PpksTls.Server server) throws Exception {
        AtomicInteger checks = new AtomicInteger();
        PpksTrustManager ppks = new PpksTrustManager(ChainVerifier.of(VerifyMode.AGENT));
        X509ExtendedTrustManager counting = new X509ExtendedTrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
                checks.incrementAndGet();
                ppks.checkServerTrusted(chain, authType, engine);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(PpksTls.TLS_13)
                .keyManager(new PpksKeyManager(selfAgent(Ed25519PrivateKey.generate()))).trustManager(counting)
                .endpointIdentificationAlgorithm(null).build();
        try (TlsLoopback loop = new TlsLoopback(server)) {
            for (int i = 0; i < 2; i++) {
                TlsLoopback.Outcome c = await(loop.connect(ch -> client.newHandler(ch.alloc(), "127.0.0.1", loop.port())));
                assertThat(c.ok()).as(c.reasons()).isTrue();
            }
        }
        return checks.get();
    }

    @Test
    void identityNeedsTheLeafForItsKey() {
        assertThatThrownBy(() -> new TlsIdentity(List.of(cert("exppriv_eop_exper"), cert("pubcmd_exper_xc")), key("k_xc")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsIdentity.of(key("k_eop"), List.of(cert("pubcmd_exper_xc"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(controller().toString()).doesNotContain(java.util.Base64.getEncoder().encodeToString(key("k_xc").pkcs8()).substring(22));
    }

    static TlsIdentity selfAgent(Ed25519PrivateKey k) {
        return new TlsIdentity(List.of(Cert.agent().subject(k.publicKey()).validFor(Duration.ofDays(1)).signWith(k)), k);
    }
}
