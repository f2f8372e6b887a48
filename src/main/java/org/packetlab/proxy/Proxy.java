package org.packetlab.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PacketLab proxy (spec/agents.md §A.8): managers behind NAT keep backlog connections registered
 * on its setup port, one snikey each; endpoints connect to its endpoint port as if it were the
 * manager, and each endpoint connection is relayed, byte for byte, to a backlog connection of the
 * snikey its ClientHello names.
 *
 * <pre>{@code
 * try (Proxy proxy = Proxy.builder().identity(TlsIdentity.of(k_prx, List.of(agentCert))).build()) {
 *     System.out.println("managers register on " + proxy.setupAddress());
 * }
 * }</pre>
 *
 * <h2>Must be closed</h2>
 * A proxy listens from {@link Builder#build()} until {@link #close()}, which closes both listeners
 * and every connection, and ends the proxy's threads.
 *
 * <h2>Bad input</h2>
 * Each connection is treated as hostile and its failures stay its own: registrations, endpoints
 * waiting for a ClientHello, backlog connections per snikey and in total are capped, every phase
 * before a relay has a timeout, and nothing is allocated from a length field the peer sent.
 */
public final class Proxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Proxy.class);

    /** Where managers register backlog connections (the reference manager's default {@code -a} port). */
    public static final int DEFAULT_SETUP_PORT = 20557;
    /** Where endpoints connect (the endpoints' default controller port). */
    public static final int DEFAULT_ENDPOINT_PORT = 20556;
    private static final long SHUTDOWN_SECONDS = 5;

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final ChannelGroup channels = new DefaultChannelGroup("pktlab-proxy", ImmediateEventExecutor.INSTANCE);
    private final BacklogRegistry registry;
    private final ProxyCounters counters = new ProxyCounters();
    private final Channel setup;
    private final Channel endpoints;

    private Proxy(Builder b) throws IOException {
        SslContext tls = PpksTls.server(VerifyMode.AGENT)
                .defaultEntry(b.identity, b.managerRoots)
                .optionalAgentClientChain()
                .build()
                .context(Optional.empty())
                .orElseThrow();
        registry = new BacklogRegistry(b.maxBacklogPerSnikey, b.maxBacklog);
        Registrar registrar = new Registrar(b.policy, registry);
        acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pktlab-proxy-accept", true), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(b.eventLoopThreads, new DefaultThreadFactory("pktlab-proxy", true), NioIoHandler.newFactory());
        try {
            setup = bind(b.setupListen, new SetupInitializer(tls, registrar, channels, counters, b.maxRegistering, b.registrationTimeout), "setup");
            endpoints = bind(b.endpointListen, new EndpointInitializer(registry, channels, counters, b.maxPendingEndpoints,
                    b.clientHelloTimeout, b.backlogWait), "endpoint");
        } catch (IOException | RuntimeException e) {
            shutdown();
            throw e;
        }
        log.info("proxy: managers register on {}, endpoints connect to {}", setup.localAddress(), endpoints.localAddress());
    }

    private Channel bind(InetSocketAddress address, ChannelHandler initializer, String what) throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer)
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for " + what + " connections on " + address + ": " + Causes.describe(bound.cause()), bound.cause());
        }
        channels.add(bound.channel());
        return bound.channel();
    }

    /** A builder with the reference's ports on all addresses and the defaults named on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address managers register on (with the actual port when built with port 0). */
    public InetSocketAddress setupAddress() {
        return (InetSocketAddress) setup.localAddress();
    }

    /** The address endpoints connect to (with the actual port when built with port 0). */
    public InetSocketAddress endpointAddress() {
        return (InetSocketAddress) endpoints.localAddress();
    }

    /** The proxy's counters now. */
    public ProxyStats stats() {
        return counters.snapshot(registry.idleCount());
    }

    // visible for testing: endpoints past their ClientHello, waiting for a backlog connection of snikey
    int waitingFor(Snikey snikey) {
        return registry.waiting(snikey);
    }

    /** Closes both listeners and every connection, and waits for the proxy's threads to end. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly();
        shutdown();
        log.info("proxy on {} closed", setup.localAddress());
    }

    private void shutdown() {
        acceptors.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        acceptors.terminationFuture().awaitUninterruptibly();
        workers.terminationFuture().awaitUninterruptibly();
    }

    /** Builds a {@link Proxy}; each setter checks its value at once. */
    public static final class Builder {
        private TlsIdentity identity;
        private InetSocketAddress setupListen = new InetSocketAddress(DEFAULT_SETUP_PORT);
        private InetSocketAddress endpointListen = new InetSocketAddress(DEFAULT_ENDPOINT_PORT);
        private List<Ed25519PublicKey> managerRoots = List.of();
        private RegistrationPolicy policy = RegistrationPolicy.ANY;
        private int maxBacklogPerSnikey = 64;
        private int maxBacklog = 4096;
        private int maxRegistering = 256;
        private int maxPendingEndpoints = 1024;
        private Duration clientHelloTimeout = Duration.ofSeconds(10);
        private Duration registrationTimeout = Duration.ofSeconds(10);
        private Duration backlogWait = Duration.ofSeconds(2);
        private int eventLoopThreads = Math.max(2, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /** The proxy's agent certificate and key, presented to managers (required). */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Where managers register (default all addresses, port {@value #DEFAULT_SETUP_PORT}; port 0 = any free port). */
        public Builder setupListen(InetSocketAddress address) {
            this.setupListen = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Where endpoints connect (default all addresses, port {@value #DEFAULT_ENDPOINT_PORT}; port 0 = any free port). */
        public Builder endpointListen(InetSocketAddress address) {
            this.endpointListen = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Keys that must have signed the managers' agent certificates. With roots, a manager must
         * present an agent certificate; without (the default), it may present none, and one it
         * presents is verified without checking its signer.
         */
        public Builder managerRoots(Collection<Ed25519PublicKey> roots) {
            this.managerRoots = List.copyOf(roots);
            return this;
        }

        /** Which manager may register which snikey (default {@link RegistrationPolicy#ANY}). */
        public Builder policy(RegistrationPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Most backlog connections (registering or idle) per snikey (default 64). */
        public Builder maxBacklogPerSnikey(int max) {
            this.maxBacklogPerSnikey = positive(max, "maxBacklogPerSnikey");
            return this;
        }

        /** Most backlog connections (registering or idle) over all snikeys (default 4096). */
        public Builder maxBacklog(int max) {
            this.maxBacklog = positive(max, "maxBacklog");
            return this;
        }

        /** Most setup connections registering at once; more are closed on accept (default 256). */
        public Builder maxRegistering(int max) {
            this.maxRegistering = positive(max, "maxRegistering");
            return this;
        }

        /** Most endpoint connections waiting for their ClientHello or a backlog connection; more are closed on accept (default 1024). */
        public Builder maxPendingEndpoints(int max) {
            this.maxPendingEndpoints = positive(max, "maxPendingEndpoints");
            return this;
        }

        /** How long an endpoint connection may take to send its ClientHello and be routed (default 10 s). */
        public Builder clientHelloTimeout(Duration timeout) {
            this.clientHelloTimeout = positive(timeout, "clientHelloTimeout");
            return this;
        }

        /** How long a setup connection may take from accept to idle backlog connection: TLS, xreg, close_notify, preambles (default 10 s). */
        public Builder registrationTimeout(Duration timeout) {
            this.registrationTimeout = positive(timeout, "registrationTimeout");
            return this;
        }

        /** How long an endpoint waits for a backlog connection when its snikey has none idle (default 2 s). */
        public Builder backlogWait(Duration wait) {
            this.backlogWait = positive(wait, "backlogWait");
            return this;
        }

        /** Threads relaying and registering (default: the number of processors, at least 2). */
        public Builder eventLoopThreads(int threads) {
            this.eventLoopThreads = positive(threads, "eventLoopThreads");
            return this;
        }

        /**
         * Starts the proxy.
         *
         * @throws IOException if a port cannot be bound or the identity cannot make a TLS context
         */
        public Proxy build() throws IOException {
            if (identity == null) {
                throw new IllegalStateException("proxy needs an identity (agent certificate and key)");
            }
            return new Proxy(this);
        }

        private static int positive(int n, String name) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " <= 0");
            }
            return n;
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " <= 0");
            }
            return d;
        }
    }
}
