package org.packetlab.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.internal.PlatformDependent;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Snikey;
import org.slf4j.LoggerFactory;

/**
 * TLS for PacketLab connections (spec/agents.md §0.5, spec/certificates.md §9): TLS 1.3 only,
 * Ed25519 identities, peer chains checked by the PPKS {@link ChainVerifier} instead of PKIX, no
 * ALPN, no session tickets, no client-side resumption. Built on the JDK provider.
 *
 * <pre>{@code
 * // manager: one entry per snikey, endpoints' subcmd chains checked against the entry's roots
 * PpksTls.Server server = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
 *         .entry(snikey, TlsIdentity.of(k_xc, List.of(exppriv, pubcmd)), List.of(k_eop_pub))
 *         .build();
 * pipeline.addLast("tls", server.newHandler());
 * // endpoint: checks the manager's experiment chain, presents its own subcmd chain
 * PpksTls.Client client = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER)
 *         .roots(List.of(k_eop_pub)).identity(TlsIdentity.of(k_ep, List.of(subcmd))).sni(snikey).build();
 * pipeline.addLast("tls", client.newHandler(channel.alloc()));
 * }</pre>
 *
 * <p>After the handshake, {@link #peerVerdict(SSLSession)} gives the verified chain of the peer.
 * A refused chain fails the handshake with an {@link javax.net.ssl.SSLHandshakeException} whose
 * causes include a {@link java.security.cert.CertificateException} naming the PPKS failure code and
 * the index of the certificate at fault.
 *
 * <p>Using this class installs, once, a JCA provider for Ed25519 signatures in first place
 * ({@code PacketLabEd25519}, Bouncy Castle): JSSE signs and verifies every handshake with it,
 * ten times faster than the JDK's EdDSA.
 */
public final class PpksTls {
    /** The only protocol. */
    static final String TLS_13 = "TLSv1.3";
    /**
     * Above the JDK's 7-day ticket lifetime the JDK server issues no NewSessionTicket: this is the
     * only per-context way to turn tickets off (sun.security.ssl.NewSessionTicket).
     */
    static final long NO_TICKETS_SESSION_TIMEOUT = 604_800 + 1;
    /** The servers' default limit from connection to the end of the handshake. */
    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    static {
        Ed25519Signatures.install();
        if (!PlatformDependent.hasUnsafe()) {
            // a library user's own JVM may lack the launchers' options (config.JvmOptions): say what it costs
            LoggerFactory.getLogger(PpksTls.class).info("Netty runs without sun.misc.Unsafe ({}): start Java with "
                    + "--sun-misc-unsafe-memory-access=allow for about 1.5x the bulk throughput",
                    PlatformDependent.getUnsafeUnavailabilityCause().getMessage());
        }
    }

    private PpksTls() {}

    /** A server that verifies client chains in {@code clientMode} (CONTROLLER_AUTH_ENDPOINT for managers, AGENT for brokers and proxies). */
    public static ServerBuilder server(VerifyMode clientMode) {
        return new ServerBuilder(clientMode);
    }

    /** A client that verifies the server's chain in {@code serverMode} (ENDPOINT_AUTH_CONTROLLER towards managers, AGENT towards brokers and proxies). */
    public static ClientBuilder client(VerifyMode serverMode) {
        return new ClientBuilder(serverMode);
    }

    /** The verified chain of the peer of an established session; empty if the peer sent no certificate. */
    public static Optional<Verdict.Verified> peerVerdict(SSLSession session) {
        return session.getValue(PpksTrustManager.VERDICT_KEY) instanceof Verdict.Verified v ? Optional.of(v) : Optional.empty();
    }

    private static SslContextBuilder common(SslContextBuilder b, VerifyMode mode, Collection<Ed25519PublicKey> roots, Clock clock) {
        return b.sslProvider(SslProvider.JDK)
                .protocols(TLS_13)
                .trustManager(new PpksTrustManager(ChainVerifier.of(mode, roots).withClock(clock)))
                .endpointIdentificationAlgorithm(null);
    }

    /** Builds a {@link Server}: entries by snikey and an optional default entry for clients without SNI. */
    public static final class ServerBuilder {
        private final VerifyMode clientMode;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private Entry defaultEntry;
        private boolean optionalAgentClientChain;
        private Clock clock = Clock.systemUTC();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;

        private record Entry(TlsIdentity identity, List<Ed25519PublicKey> roots) {}

        private ServerBuilder(VerifyMode clientMode) {
            this.clientMode = Objects.requireNonNull(clientMode, "clientMode");
        }

        /**
         * The identity for clients whose SNI is {@code snikey}. With roots, clients must present a
         * chain rooted at one of them; without roots, a client may present no chain, and a chain it
         * presents is verified without checking its top.
         */
        public ServerBuilder entry(Snikey snikey, TlsIdentity identity, Collection<Ed25519PublicKey> roots) {
            Objects.requireNonNull(snikey, "snikey");
            if (entries.putIfAbsent(snikey.value(), new Entry(Objects.requireNonNull(identity, "identity"), List.copyOf(roots))) != null) {
                throw new IllegalArgumentException("snikey " + snikey + " already has an entry");
            }
            return this;
        }

        /** The identity for clients that send no SNI (without one, such clients are refused). */
        public ServerBuilder defaultEntry(TlsIdentity identity, Collection<Ed25519PublicKey> roots) {
            this.defaultEntry = new Entry(Objects.requireNonNull(identity, "identity"), List.copyOf(roots));
            return this;
        }

        /**
         * In {@link VerifyMode#AGENT} mode, lets clients present no chain when the entry has no roots
         * (a chain a client presents is still verified). Proxies need this: a manager's agent
         * certificate is optional (spec/agents.md §A.8 2.2), though the reference's agent mode requires one.
         */
        public ServerBuilder optionalAgentClientChain() {
            this.optionalAgentClientChain = true;
            return this;
        }

        /** The clock for certificate validity (default: system UTC). */
        public ServerBuilder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a client may take from connecting until the end of the TLS handshake, ClientHello
         * included (default 30 s). A burst of thousands of connections queues handshakes behind each
         * other: the limit must cover that wait, not only one handshake.
         */
        public ServerBuilder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout " + timeout + " is not positive");
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        public Server build() throws SSLException {
            if (entries.isEmpty() && defaultEntry == null) {
                throw new IllegalStateException("server needs at least one entry");
            }
            Map<String, SslContext> contexts = new LinkedHashMap<>();
            for (var e : entries.entrySet()) {
                contexts.put(e.getKey(), context(e.getValue()));
            }
            return new Server(Map.copyOf(contexts), defaultEntry == null ? null : context(defaultEntry), handshakeTimeout.toMillis());
        }

        private SslContext context(Entry e) throws SSLException {
            // the client must authenticate when there are roots to check it against, or in agent mode
            boolean required = !e.roots().isEmpty() || (clientMode == VerifyMode.AGENT && !optionalAgentClientChain);
            return common(SslContextBuilder.forServer(new PpksKeyManager(e.identity())), clientMode, e.roots(), clock)
                    .clientAuth(required ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL)
                    .sessionTimeout(NO_TICKETS_SESSION_TIMEOUT)
                    .build();
        }
    }

    /** The server side of PacketLab TLS: one {@link SslContext} per entry, chosen by SNI. */
    public static final class Server {
        private final Map<String, SslContext> entries;
        private final SslContext defaultEntry;
        private final long handshakeTimeoutMillis;

        // visible for testing
        Server(Map<String, SslContext> entries, SslContext defaultEntry, long handshakeTimeoutMillis) {
            this.entries = entries;
            this.defaultEntry = defaultEntry;
            this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        }

        /**
         * A new handler for one accepted channel: reads the ClientHello, picks the entry by SNI and
         * replaces itself with that entry's {@link SslHandler}; closes the channel for an unknown SNI.
         */
        public ChannelHandler newHandler() {
            return new PpksSniHandler(entries, defaultEntry, handshakeTimeoutMillis);
        }

        /** The context of the entry for {@code snikey} (empty = the default entry), for servers that know the entry up front. */
        public Optional<SslContext> context(Optional<Snikey> snikey) {
            return Optional.ofNullable(snikey.map(k -> entries.get(k.value())).orElse(defaultEntry));
        }
    }

    /** Builds a {@link Client}. */
    public static final class ClientBuilder {
        private final VerifyMode serverMode;
        private List<Ed25519PublicKey> roots = List.of();
        private TlsIdentity identity;
        private Snikey sni;
        private Clock clock = Clock.systemUTC();

        private ClientBuilder(VerifyMode serverMode) {
            this.serverMode = Objects.requireNonNull(serverMode, "serverMode");
        }

        /** Trusted roots for the server's chain; none = accept any top (the reference's behaviour). */
        public ClientBuilder roots(Collection<Ed25519PublicKey> roots) {
            this.roots = List.copyOf(roots);
            return this;
        }

        /** The chain and key to present when the server asks; without one the client presents nothing. */
        public ClientBuilder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** The snikey to send as SNI (towards managers); brokers and proxies get no SNI. */
        public ClientBuilder sni(Snikey snikey) {
            this.sni = Objects.requireNonNull(snikey, "snikey");
            return this;
        }

        /** The clock for certificate validity (default: system UTC). */
        public ClientBuilder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Client build() throws SSLException {
            SslContextBuilder b = common(SslContextBuilder.forClient(), serverMode, roots, clock);
            if (identity != null) {
                b.keyManager(new PpksKeyManager(identity));
            }
            if (sni != null) {
                b.serverName(new SNIHostName(sni.value()));
            }
            return new Client(b.build());
        }
    }

    /** The client side of PacketLab TLS. */
    public static final class Client {
        private final SslContext context;

        private Client(SslContext context) {
            this.context = context;
        }

        /** The Netty context (engines made without a peer host, so no session is ever resumed). */
        public SslContext context() {
            return context;
        }

        /** A new handler for one outgoing channel. */
        public SslHandler newHandler(ByteBufAllocator alloc) {
            return context.newHandler(alloc);
        }
    }
}
