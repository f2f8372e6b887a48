package org.packetlab.endpoint;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.packetlab.config.EndptConf;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Vmem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PacketLab measurement endpoint: it connects to a controller, proves itself with its
 * certificate chain, checks the controller's experiment chain, and serves the experiment's requests
 * on TCP and UDP sockets until the session ends (spec/agents.md §C). One endpoint runs any number
 * of sessions at once; all of them share one event-loop group (pass your own to share it between
 * endpoints), and each session lives on one event loop with all of its sockets, so an idle session
 * costs memory only, no thread.
 *
 * <pre>{@code
 * try (Endpoint ep = Endpoint.builder().privateKey(key).chain(List.of(subcmd)).trustedRoots(List.of(eop))
 *         .localAddress("127.0.0.1/8").hostId("ep1").build()) {
 *     SessionOutcome how = ep.connect("127.0.0.1:20556", Optional.empty()).get();
 * }
 * }</pre>
 *
 * <h2>An endpoint must be closed</h2>
 * {@link #close()} ends the running sessions ({@link SessionOutcome.EndpointClosed}) and, unless
 * the group was given to the builder, shuts its event loops down. Do not call it from an event loop.
 *
 * <h2>What is not implemented</h2>
 * Raw sockets (nopen answers ESKTNOPROTO and the transport bitmap in vmem says so), TCP listen,
 * WebAssembly monitors (a session whose chain requires one is refused at {@code start} with
 * ECRTNOHDAT), and persistence of the certificates' quotas across sessions (they hold per session).
 */
public final class Endpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final TlsIdentity identity;
    private final List<Ed25519PublicKey> roots;
    private final Registry registry;
    private final ControlChannels controlChannels;
    private final Map<Optional<Snikey>, PpksTls.Client> tlsBySnikey = new ConcurrentHashMap<>();
    private final Builder config;

    private Endpoint(Builder b) {
        this.config = b.copy();
        this.ownsGroup = b.group == null;
        this.group = ownsGroup ? new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()) : b.group;
        this.identity = new TlsIdentity(b.chain, b.privateKey);
        this.roots = List.copyOf(b.roots);
        this.registry = new Registry();
        int transports = (b.transports.contains(Proto.TCP) ? Vmem.TRANSSUP_TCP : 0) | (b.transports.contains(Proto.UDP) ? Vmem.TRANSSUP_UDP : 0);
        if (b.transports.contains(Proto.RAW)) {
            log.warn("raw sockets are not supported yet: not offered (nopen raw answers ESKTNOPROTO)");
        }
        SysParams params = new SysParams(b.localAddresses, b.dnsResolvers, transports, b.bufMax, b.hostId);
        SessionSettings settings = new SessionSettings(params, b.setupTimeout, b.maxQueued,
                (int) b.socketConnectTimeout.toMillis(), PktlabTime::now, registry);
        this.controlChannels = new ControlChannels(group, settings,
                new ControlChannels.Timing(b.connectTimeout, b.retryDelay, b.giveUpAfter, b.handshakeTimeout));
    }

    /** A builder with the reference's defaults: BufMax 8 MiB, TCP and UDP, 10 s setup, 3 s connect, 1 s retry, 5 s give-up. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder configured from an {@code endpt.conf}: BufMax, transports, exported addresses and
     * resolvers (unusable items skipped with a warning), host id, the chain of
     * {@code ControllerCertChainPath} and the roots of {@code EndpointOpPubKeyPath}; {@code key} is
     * the {@code EndpointPrivKey} the caller has read (it may need a passphrase). The broker options
     * are {@link EndpointSubscriber}'s; monitor options are not used (monitors are not implemented).
     *
     * @throws IOException when a certificate or key file cannot be read or parsed
     */
    public static Builder builder(EndptConf conf, Ed25519PrivateKey key) throws IOException {
        return ConfiguredEndpoint.builder(conf, key);
    }

    /** A builder holding this endpoint's configuration, to derive a variant (the group is shared, not copied). */
    public Builder newBuilder() {
        return config.copy();
    }

    /**
     * Runs one experiment session with the controller at {@code controller} (NoSubMode, spec/agents.md
     * §C.3-C.5): connect (retrying until the give-up delay), TLS with SNI = {@code snikey} when
     * present, setup, then serve requests until the session ends. Never throws for network or
     * protocol trouble: the returned future completes with how the session ended, once its
     * connection and sockets are closed. It completes on an event loop: use the {@code *Async}
     * methods to chain blocking work.
     */
    public CompletableFuture<SessionOutcome> connect(InetSocketAddress controller, Optional<Snikey> snikey) {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(snikey, "snikey");
        if (registry.isClosed()) {
            throw new IllegalStateException("endpoint is closed");
        }
        PpksTls.Client tls;
        try {
            tls = tlsBySnikey.computeIfAbsent(snikey, this::newTlsClient);
        } catch (IllegalStateException e) {
            return CompletableFuture.completedFuture(new SessionOutcome.TlsRefused(e.getMessage()));
        }
        return controlChannels.connect(controller, tls);
    }

    /**
     * As {@link #connect(InetSocketAddress, Optional)} for a controller address {@code HOST[:PORT]}
     * (port 20556 when absent; {@code [v6]:PORT} is accepted too).
     *
     * @throws IllegalArgumentException when the address has no host or a bad port
     */
    public CompletableFuture<SessionOutcome> connect(String controllerAddress, Optional<Snikey> snikey) {
        return connect(Addresses.controller(controllerAddress), snikey);
    }

    private PpksTls.Client newTlsClient(Optional<Snikey> snikey) {
        PpksTls.ClientBuilder b = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER).roots(roots).identity(identity);
        snikey.ifPresent(b::sni);
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
        }
    }

    /**
     * Suspends the session of {@code outcome} (a future {@link #connect} returned) for an experiment of
     * higher priority: {@code suspd}, then disconnect. False when that session is not set up yet.
     */
    boolean suspend(CompletableFuture<SessionOutcome> outcome) {
        return registry.suspend(outcome);
    }

    /** Sessions whose outcome is not known yet. */
    public int activeSessions() {
        return registry.activeSessions();
    }

    // visible for testing
    int openMeasurementChannels() {
        return registry.openMeasurementChannels();
    }

    /** Ends every running session, waits (up to 5 s) for them to close, and shuts down the event loops it owns. */
    @Override
    public void close() {
        List<CompletableFuture<SessionOutcome>> pending = registry.closeAll();
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("endpoint close: {} session(s) did not end in time", registry.activeSessions());
        }
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Builds an {@link Endpoint}. Required: the private key and the client chain (leaf first, the
     * leaf's subject being the key), and at least one local address. Each setter validates at once.
     */
    public static final class Builder {
        private Ed25519PrivateKey privateKey;
        private List<Cert> chain = List.of();
        private List<Ed25519PublicKey> roots = List.of();
        private final List<LocalAddress> localAddresses = new ArrayList<>();
        private final List<InetAddress> dnsResolvers = new ArrayList<>();
        private String hostId = "";
        private Set<Proto> transports = EnumSet.of(Proto.TCP, Proto.UDP);
        private long bufMax = 8_388_608;
        private Duration setupTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(3);
        private Duration retryDelay = Duration.ofSeconds(1);
        private Duration giveUpAfter = Duration.ofSeconds(5);
        private Duration handshakeTimeout = Duration.ofSeconds(60);
        private Duration socketConnectTimeout = Duration.ofSeconds(30);
        private int maxQueued = 100;
        private EventLoopGroup group;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.privateKey = privateKey;
            b.chain = chain;
            b.roots = roots;
            b.localAddresses.addAll(localAddresses);
            b.dnsResolvers.addAll(dnsResolvers);
            b.hostId = hostId;
            b.transports = transports;
            b.bufMax = bufMax;
            b.setupTimeout = setupTimeout;
            b.connectTimeout = connectTimeout;
            b.retryDelay = retryDelay;
            b.giveUpAfter = giveUpAfter;
            b.handshakeTimeout = handshakeTimeout;
            b.socketConnectTimeout = socketConnectTimeout;
            b.maxQueued = maxQueued;
            b.group = group;
            return b;
        }

        /** The endpoint's private key ({@code EndpointPrivKey}). */
        public Builder privateKey(Ed25519PrivateKey key) {
            this.privateKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** The chain presented to controllers, leaf first, not re-ordered ({@code ControllerCertChainPath}). */
        public Builder chain(List<Cert> chain) {
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("chain is empty");
            }
            this.chain = List.copyOf(chain);
            return this;
        }

        /** Keys trusted as roots of controller chains ({@code EndpointOpPubKeyPath}); none = any root, chain shape still checked. */
        public Builder trustedRoots(List<Ed25519PublicKey> roots) {
            this.roots = List.copyOf(roots);
            return this;
        }

        /** Adds an exported local address: {@code a.b.c.d/prefix} or an IPv6 address, in preference order. */
        public Builder localAddress(String address) {
            return localAddress(LocalAddress.parse(address));
        }

        /** Adds an exported local address, in preference order (at most 256 per family). */
        public Builder localAddress(LocalAddress address) {
            localAddresses.add(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Adds a DNS resolver exported in vmem (at most 16 per family). */
        public Builder dnsResolver(InetAddress resolver) {
            dnsResolvers.add(Objects.requireNonNull(resolver, "resolver"));
            return this;
        }

        /** Adds a DNS resolver given as an IP literal. */
        public Builder dnsResolver(String resolver) {
            return dnsResolver(Addresses.literal(resolver)
                    .orElseThrow(() -> new IllegalArgumentException("\"" + resolver + "\" is not an IP address")));
        }

        /** The host id exported in vmem (at most 255 characters; default empty, as the reference). */
        public Builder hostId(String hostId) {
            if (hostId.length() > 255) {
                throw new IllegalArgumentException("host id has " + hostId.length() + " characters, at most 255");
            }
            this.hostId = hostId;
            return this;
        }

        /** The transports offered ({@code TransprotoSup}); raw is accepted but not offered yet. */
        public Builder transports(Set<Proto> transports) {
            if (transports.isEmpty()) {
                throw new IllegalArgumentException("no transport");
            }
            this.transports = EnumSet.copyOf(transports);
            return this;
        }

        /** The per-session buffer budget for queued sends and unwritten received data ({@code BufMax}, 0..2^32-1). */
        public Builder bufMax(long bytes) {
            if (bytes < 0 || bytes > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("bufMax " + bytes + " is not in 0..4294967295");
            }
            this.bufMax = bytes;
            return this;
        }

        /** How long a controller has to reach a successful {@code start} (default 10 s). */
        public Builder setupTimeout(Duration timeout) {
            this.setupTimeout = positive(timeout, "setupTimeout");
            return this;
        }

        /** Connect timeout per controller address (default 3 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Pause between rounds of connection attempts (default 1 s). */
        public Builder retryDelay(Duration delay) {
            this.retryDelay = positive(delay, "retryDelay");
            return this;
        }

        /** Time after which an unreachable controller is given up (default 5 s). */
        public Builder giveUpAfter(Duration delay) {
            this.giveUpAfter = positive(delay, "giveUpAfter");
            return this;
        }

        /**
         * How long the TLS handshake with a controller may take (default 60 s; the reference waits
         * forever, which a stalled controller turns into a hung run).
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive(timeout, "handshakeTimeout");
            return this;
        }

        /** Connect timeout of the TCP sockets experiments open (default 30 s; then the socket is TIMEDOUT). */
        public Builder socketConnectTimeout(Duration timeout) {
            this.socketConnectTimeout = positive(timeout, "socketConnectTimeout");
            return this;
        }

        /** Outgoing messages not yet written at which the endpoint stops reading requests (default 100). */
        public Builder maxQueuedMessages(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxQueuedMessages < 1");
            }
            this.maxQueued = n;
            return this;
        }

        /** The event-loop group to run on (shared, not shut down by the endpoint); default: an own NIO group. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " <= 0");
            }
            return d;
        }

        /** The endpoint. */
        public Endpoint build() {
            if (privateKey == null) {
                throw new IllegalStateException("privateKey is required");
            }
            if (chain.isEmpty()) {
                throw new IllegalStateException("chain is required");
            }
            if (!chain.getFirst().subject().equals(privateKey.publicKey())) {
                throw new IllegalStateException("the first certificate of the chain must be the endpoint's own (subject = its key)");
            }
            if (localAddresses.isEmpty()) {
                throw new IllegalStateException("at least one local address is required");
            }
            return new Endpoint(this);
        }
    }
}
