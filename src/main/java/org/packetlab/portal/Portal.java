package org.packetlab.portal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint operator's privilege portal: a small web server where experimenters upload a
 * certificate signing request and download the experiment privilege the operator's
 * {@link PortalPolicy} grants, signed with the operator key, plus the operator's public key.
 *
 * <pre>{@code
 * try (Portal portal = Portal.builder().operatorHome(Path.of(System.getProperty("user.home"), ".pktlab"))
 *         .policy(PortalPolicy.load(Path.of("policy.properties"))).start()) {
 *     System.out.println("Privileges at " + portal.url());
 *     ...
 * }
 * }</pre>
 *
 * <p>Pages: {@code GET /} (the upload form), {@code POST /sign}, {@code GET /operator.pub},
 * {@code GET /certs/SERIAL.cert}. Every certificate issued is recorded in the issuance log
 * before it is handed out; see {@code docs/portal.md}.
 *
 * <h2>The portal must be closed</h2>
 * It holds a listening socket, two threads and the locked issuance log until {@link #close()}.
 */
public final class Portal implements AutoCloseable {
    /** The port a portal listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 20580;
    /** How far before its issue a certificate's validity starts, for endpoints whose clocks lag. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(Portal.class);
    private static final long SHUTDOWN_SECONDS = 10;

    private final Channel server;
    private final EventLoopGroup loops;
    private final ExecutorService issuing;
    private final List<Thread> threads;
    private final IssuanceLog issuanceLog;
    private final PortalPolicy policy;
    private final Ed25519PublicKey operatorKey;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Portal(Channel server, EventLoopGroup loops, ExecutorService issuing, List<Thread> threads, IssuanceLog issuanceLog,
                   PortalPolicy policy, Ed25519PublicKey operatorKey) {
        this.server = server;
        this.loops = loops;
        this.issuing = issuing;
        this.threads = threads;
        this.issuanceLog = issuanceLog;
        this.policy = policy;
        this.operatorKey = operatorKey;
    }

    /** A builder: listens on 127.0.0.1:{@value #DEFAULT_PORT} with {@link PortalPolicy#defaults()}; an operator key is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the portal listens on, with the port actually bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The page to give experimenters, e.g. {@code http://127.0.0.1:20580/}. */
    public URI url() {
        return URI.create("http://" + NetUtil.toSocketAddressString(address()) + "/");
    }

    /** The operator's public key, which signs every certificate issued here. */
    public Ed25519PublicKey operatorKey() {
        return operatorKey;
    }

    public PortalPolicy policy() {
        return policy;
    }

    /** The issuance log file. */
    public Path issuanceLog() {
        return issuanceLog.file();
    }

    /** How many certificates the issuance log records (including those of earlier runs). */
    public int issuedCount() {
        return issuanceLog.size();
    }

    /** Stops listening, ends every connection, finishes the request being signed, releases the log; returns once its threads have ended. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.close().awaitUninterruptibly();
        // the request being signed finishes and is answered while the connections are still served
        issuing.shutdown();
        try {
            if (!issuing.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("portal: the issuing thread did not end within {} s", SHUTDOWN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            issuanceLog.close();
        } catch (IOException e) {
            log.warn("portal: closing {}: {}", issuanceLog.file(), e.toString());
        }
    }

    // visible for testing
    boolean threadsEnded() {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public String toString() {
        return "Portal[" + url() + ", operator " + operatorKey.keyId().hex().substring(0, 16) + "…, " + policy.name() + "]";
    }

    /** Settings of a {@link Portal}; each setter checks its argument at once. */
    public static final class Builder {
        /** The default issuance log of a portal run from a home. */
        private static final String HOME_LOG = "portal/issued.jsonl";

        private Ed25519PrivateKey operatorKey;
        private Path home;
        private InetSocketAddress listen = new InetSocketAddress(NetUtil.LOCALHOST4, DEFAULT_PORT);
        private PortalPolicy policy = PortalPolicy.defaults();
        private Path issuanceLog;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new SecureRandom();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {}

        /**
         * Signs with the endpoint operator key of a PacketLab home ({@code keys/k_eop}, as
         * {@code pktlab init} made it) and, unless {@link #issuanceLog} says otherwise, logs to
         * {@code portal/issued.jsonl} there.
         */
        public Builder operatorHome(Path dir) throws IOException {
            Path keyFile = PktlabHome.at(dir).privateKeyFile(PktlabHome.K_EOP);
            if (!Files.exists(keyFile)) {
                throw new IOException("no operator key " + keyFile + ": run `pktlab init --home " + dir + "` first, or give the key file");
            }
            operatorKeyFile(keyFile);
            this.home = dir;
            return this;
        }

        /** Signs with the key in {@code file} (unencrypted PKCS#8 PEM; use {@link #operatorKey} for a decrypted key). */
        public Builder operatorKeyFile(Path file) throws IOException {
            String pem = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
            if (Ed25519PrivateKey.isEncryptedPem(pem)) {
                throw new IOException(file + " is encrypted: decrypt it with its passphrase and pass the key itself");
            }
            try {
                return operatorKey(Ed25519PrivateKey.parsePem(pem));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
            }
        }

        /** Signs with {@code key}, the endpoint operator's private key. */
        public Builder operatorKey(Ed25519PrivateKey key) {
            this.operatorKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Where to listen (default 127.0.0.1:{@value #DEFAULT_PORT}; port 0 picks a free port). */
        public Builder listen(InetSocketAddress address) {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("listen address " + address + " is not resolved");
            }
            this.listen = address;
            return this;
        }

        public Builder policy(PortalPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The append-only issuance log (JSON lines), created when missing. */
        public Builder issuanceLog(Path file) {
            this.issuanceLog = Objects.requireNonNull(file, "file");
            return this;
        }

        // visible for testing: the time certificates are issued at
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        // visible for testing: the source of serial numbers' random part
        Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        // visible for testing: the rate limiter's clock
        Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * Opens the issuance log, binds and starts serving.
         *
         * @throws IllegalStateException when the operator key or the log is not set
         * @throws IOException           when the log cannot be opened (damaged, or in use) or the address cannot be bound
         */
        public Portal start() throws IOException {
            if (operatorKey == null) {
                throw new IllegalStateException("no operator key: call operatorHome(..), operatorKeyFile(..) or operatorKey(..)");
            }
            Path logFile = issuanceLog != null ? issuanceLog : home != null ? home.resolve(HOME_LOG) : null;
            if (logFile == null) {
                throw new IllegalStateException("no issuance log: call issuanceLog(..)");
            }
            IssuanceLog issued = IssuanceLog.open(logFile);
            List<Thread> threads = new CopyOnWriteArrayList<>();
            ThreadFactory loopThreads = recorded(new DefaultThreadFactory("pktlab-portal", true), threads);
            ThreadFactory issuerThreads = recorded(new DefaultThreadFactory("pktlab-portal-issuer", true), threads);
            EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, loopThreads, NioIoHandler.newFactory());
            ExecutorService issuing = Executors.newSingleThreadExecutor(issuerThreads);
            PortalPages pages = new PortalPages(policy, operatorKey.publicKey());
            IssuanceHandler issuance = new IssuanceHandler(new Issuer(policy, operatorKey, issued, clock, random),
                    new RateLimiter(policy.maxRequestsPerMinute(), nanoTime), issuing);
            ChannelFuture bound = new ServerBootstrap()
                    .group(loops)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new PortalInitializer(pages, operatorKey.publicKey(), issued, issuance))
                    .bind(listen)
                    .awaitUninterruptibly();
            if (!bound.isSuccess()) {
                issuing.shutdown();
                loops.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly();
                issued.close();
                throw new IOException("cannot listen on " + NetUtil.toSocketAddressString(listen) + ": " + bound.cause().getMessage(),
                        bound.cause());
            }
            Portal p = new Portal(bound.channel(), loops, issuing, threads, issued, policy, operatorKey.publicKey());
            log.info("portal {} listening, policy {} ({}), log {} with {} certificate(s)", p.url(), policy.name(),
                    policy.sha256().substring(0, 16), logFile, issued.size());
            return p;
        }

        private static ThreadFactory recorded(ThreadFactory factory, List<Thread> threads) {
            return r -> {
                Thread t = factory.newThread(r);
                threads.add(t);
                return t;
            };
        }
    }
}
