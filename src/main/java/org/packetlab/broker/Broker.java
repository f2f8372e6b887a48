package org.packetlab.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PacketLab broker (spec/broker.md): managers publish experiment descriptors on its publication
 * port, endpoints subscribe on its subscription port, and it forwards each descriptor to the
 * endpoints whose channels and attributes match, compatible with the reference clients.
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder()
 *         .identity(k_brk, agentCertSignedByBop)
 *         .publicationAddress(new InetSocketAddress("127.0.0.1", 0))
 *         .subscriptionAddress(new InetSocketAddress("127.0.0.1", 0))
 *         .start()) {
 *     InetSocketAddress pub = broker.publicationAddress();   // give to managers
 *     InetSocketAddress sub = broker.subscriptionAddress();  // give to endpoints
 * }
 * }</pre>
 *
 * <p>Both ports accept either role; a connection's first {@code xpub} or {@code xsub} decides.
 * Every connection is TLS 1.3 in agent mode: the broker presents its one agent certificate (signed
 * by the broker operator's key, which clients trust) and requires one from the client, whose
 * subject key identifies the client. Private channels need a privilege chain sent with
 * {@code xcert}; public channels need none (an operator {@link BrokerPolicy} may restrict them).
 *
 * <h2>Bounded</h2>
 * Publications, subscriptions, certificates per connection, descriptor size and notifications
 * pending per subscriber are capped (see {@link Builder}); a full cap refuses the request with a
 * clear log line (ENORES for the publication and subscription caps) or drops the slow subscriber.
 * Until a client has published or subscribed, its handshake and every gap between its messages
 * are timed; afterwards nothing is, because publishers and subscribers stay silent for months.
 *
 * <h2>The broker must be closed</h2>
 * It holds two listening sockets, every client connection and (unless given shared ones) its
 * event-loop threads until {@link #close()}; closing withdraws every publication.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    /** The reference manager's default broker port (spec/broker.md §2.1). */
    public static final int PUBLICATION_PORT = 20556;
    /** The reference endpoint's default broker port (spec/broker.md §2.1). */
    public static final int SUBSCRIPTION_PORT = 20557;
    /** Largest {@code xcert} body accepted: larger frames are refused with ECTLBADMSG before they are read (§2.7). */
    public static final int MAX_XCERT_BODY = 64 * 1024;
    /** Largest {@code xpub}/{@code xsub} body accepted (§2.7). */
    public static final int MAX_REQUEST_BODY = 16 * 1024;
    /** Longest xdescr or dattr: reference endpoints drop descriptors of 4096 bytes or more (§5.1 step 3). */
    public static final int MAX_DESCRIPTOR_BYTES = 4095;

    private final EventLoopGroup loops;
    private final boolean ownsLoops;
    private final Channel publicationServer;
    private final Channel subscriptionServer;
    private final ChannelGroup connections;
    private final PublicationStore store;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Broker(EventLoopGroup loops, boolean ownsLoops, Channel publicationServer, Channel subscriptionServer,
                   ChannelGroup connections, PublicationStore store) {
        this.loops = loops;
        this.ownsLoops = ownsLoops;
        this.publicationServer = publicationServer;
        this.subscriptionServer = subscriptionServer;
        this.connections = connections;
        this.store = store;
    }

    /** A builder with the defaults of {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound publication address (with the real port when 0 was asked for). */
    public InetSocketAddress publicationAddress() {
        return (InetSocketAddress) publicationServer.localAddress();
    }

    /** The bound subscription address (with the real port when 0 was asked for). */
    public InetSocketAddress subscriptionAddress() {
        return (InetSocketAddress) subscriptionServer.localAddress();
    }

    /** The active publications, oldest first. */
    public List<PublicationInfo> publications() {
        return store.publications();
    }

    /** The live subscriptions, oldest first. */
    public List<SubscriptionInfo> subscriptions() {
        return store.subscriptions();
    }

    /** Stops listening, closes every connection (withdrawing every publication) and stops its own event loops. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        publicationServer.close().awaitUninterruptibly();
        subscriptionServer.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        if (ownsLoops) {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        log.info("broker closed");
    }

    /**
     * Configures a {@link Broker}. Every setter validates at once. Required: {@link #identity}.
     *
     * <p>Defaults: publication port {@value Broker#PUBLICATION_PORT} and subscription port
     * {@value Broker#SUBSCRIPTION_PORT} on all addresses; at most 10 000 publications, 100 000
     * subscriptions, 16 certificates per connection, {@value Broker#MAX_DESCRIPTOR_BYTES}-byte
     * descriptors, 1 024 pending notifications per subscriber; a 30 s setup timeout; refusals
     * held back 2 s; the system clock; the open policy; no listener; its own event loops.
     */
    public static final class Builder {
        private Ed25519PrivateKey key;
        private Cert agentCert;
        private InetSocketAddress publicationAddress = new InetSocketAddress(PUBLICATION_PORT);
        private InetSocketAddress subscriptionAddress = new InetSocketAddress(SUBSCRIPTION_PORT);
        private int maxPublications = 10_000;
        private int maxSubscribers = 100_000;
        private int maxCertificates = 16;
        private int maxDescriptorBytes = MAX_DESCRIPTOR_BYTES;
        private int maxPendingNotifications = 1024;
        private Duration setupTimeout = Duration.ofSeconds(30);
        private Duration refusalDelay = Duration.ofSeconds(2);
        private Clock clock = Clock.systemUTC();
        private BrokerPolicy policy = BrokerPolicy.OPEN;
        private BrokerListener listener = new BrokerListener() {};
        private EventLoopGroup loops;
        private int threads = Runtime.getRuntime().availableProcessors();

        private Builder() {}

        /**
         * The broker's TLS identity: its key and its agent certificate (subject = that key), signed
         * by the broker operator key that managers and endpoints trust (spec/broker.md §2.4).
         */
        public Builder identity(Ed25519PrivateKey key, Cert agentCert) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(agentCert, "agentCert");
            if (agentCert.type() != CertType.AGENT) {
                throw new IllegalArgumentException("broker certificate must be of type agent, not " + agentCert.type());
            }
            if (!agentCert.subject().equals(key.publicKey())) {
                throw new IllegalArgumentException("agent certificate subject " + agentCert.subjectKeyId().hex()
                        + " is not the broker key " + key.keyId().hex());
            }
            this.key = key;
            this.agentCert = agentCert;
            return this;
        }

        /** Where managers publish (port 0 = an ephemeral port). */
        public Builder publicationAddress(InetSocketAddress address) {
            this.publicationAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Where endpoints subscribe (port 0 = an ephemeral port). */
        public Builder subscriptionAddress(InetSocketAddress address) {
            this.subscriptionAddress = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Most publications held at once; further {@code xpub}s are refused with ENORES. */
        public Builder maxPublications(int max) {
            this.maxPublications = positive(max, "maxPublications");
            return this;
        }

        /** Most subscriptions held at once; further {@code xsub}s are refused with ENORES. */
        public Builder maxSubscribers(int max) {
            this.maxSubscribers = positive(max, "maxSubscribers");
            return this;
        }

        /** Most distinct certificates one connection may send (1..{@value ChainVerifier#MAX_CHAIN_LENGTH}); one more is ECTLBADMSG. */
        public Builder maxCertificatesPerConnection(int max) {
            if (max < 1 || max > ChainVerifier.MAX_CHAIN_LENGTH) {
                throw new IllegalArgumentException("maxCertificatesPerConnection " + max + " is not in 1.." + ChainVerifier.MAX_CHAIN_LENGTH);
            }
            this.maxCertificates = max;
            return this;
        }

        /** Longest xdescr (EPUBBADXD beyond) and dattr (ESUBBADDA beyond), 1..{@value Broker#MAX_DESCRIPTOR_BYTES} bytes. */
        public Builder maxDescriptorBytes(int max) {
            if (max < 1 || max > MAX_DESCRIPTOR_BYTES) {
                throw new IllegalArgumentException("maxDescriptorBytes " + max + " is not in 1.." + MAX_DESCRIPTOR_BYTES);
            }
            this.maxDescriptorBytes = max;
            return this;
        }

        /**
         * Most notifications queued for one subscriber and not yet written to its socket; beyond it
         * the subscriber is closed (it reconnects and gets the catch-up again). The catch-up counts
         * too, so the cap should exceed the number of publications one subscriber may match at once.
         */
        public Builder maxPendingNotifications(int max) {
            this.maxPendingNotifications = positive(max, "maxPendingNotifications");
            return this;
        }

        /** Limit on the TLS handshake and on each gap between messages until the client has published or subscribed. */
        public Builder setupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("setupTimeout <= 0");
            }
            this.setupTimeout = timeout;
            return this;
        }

        /**
         * How long a refusing {@code result} is held back (spec/broker.md §3): reference endpoints
         * reconnect at once after a refusal, so answering at once would let them spin. Zero answers at once.
         */
        public Builder refusalDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("refusalDelay < 0");
            }
            this.refusalDelay = delay;
            return this;
        }

        /** The clock for publication expiry and certificate validity (a seam for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The operator's policy: which agent keys may connect, who may use which public channel. */
        public Builder policy(BrokerPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Receives the broker's events (on event loops; must not block). */
        public Builder listener(BrokerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Shared event loops to run on; the broker then does not shut them down. */
        public Builder eventLoops(EventLoopGroup loops) {
            this.loops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /** Threads of the broker's own event loops, when none are shared (default: one per processor). */
        public Builder threads(int threads) {
            this.threads = positive(threads, "threads");
            return this;
        }

        /**
         * Binds both ports and starts serving.
         *
         * @throws IOException when a port cannot be bound
         */
        public Broker start() throws IOException {
            if (key == null) {
                throw new IllegalStateException("broker identity not set: call identity(key, agentCert)");
            }
            BrokerSettings settings = new BrokerSettings(maxPublications, maxSubscribers, maxCertificates, maxDescriptorBytes,
                    maxPendingNotifications, MAX_XCERT_BODY, MAX_REQUEST_BODY, setupTimeout, refusalDelay, clock, policy, listener);
            SslContext tls = serverContext();
            boolean own = loops == null;
            EventLoopGroup group = own
                    ? new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("pktlab-broker", true), NioIoHandler.newFactory())
                    : loops;
            ChannelGroup connections = new DefaultChannelGroup("broker-connections", GlobalEventExecutor.INSTANCE);
            PublicationStore store = new PublicationStore(settings);
            ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new BrokerInitializer(tls, settings, store, connections));
            Channel pub = null;
            try {
                pub = bind(bootstrap, publicationAddress, "publication");
                Channel sub = bind(bootstrap, subscriptionAddress, "subscription");
                log.info("broker {} serving publications on {} and subscriptions on {}", key.keyId().hex(),
                        pub.localAddress(), sub.localAddress());
                return new Broker(group, own, pub, sub, connections, store);
            } catch (IOException | RuntimeException e) {
                if (pub != null) {
                    pub.close().awaitUninterruptibly();
                }
                if (own) {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
                }
                throw e;
            }
        }

        private SslContext serverContext() throws IOException {
            try {
                // one default entry: clients send no SNI, and SNI a client does send is ignored (§2.3)
                PpksTls.Server server = PpksTls.server(VerifyMode.AGENT)
                        .defaultEntry(new TlsIdentity(List.of(agentCert), key), List.of())
                        .clock(clock)
                        .build();
                return server.context(Optional.empty()).orElseThrow();
            } catch (SSLException e) {
                throw new IOException("cannot set up the broker's TLS: " + e.getMessage(), e);
            }
        }

        private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address, String what) throws IOException {
            var f = bootstrap.bind(address).awaitUninterruptibly();
            if (!f.isSuccess()) {
                throw new IOException("cannot listen for " + what + "s on " + address + ": " + f.cause().getMessage(), f.cause());
            }
            return f.channel();
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " < 1");
            }
            return n;
        }
    }
}
