package org.packetlab.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * A manager's pool of backlog connections to a proxy (spec/agents.md §A.7): for each snikey it
 * keeps {@code target} connections registered and idle, refilling round-robin across snikeys as
 * connections are used or die. When an endpoint starts to use one, the pool hands the connection
 * to the manager through the {@link Handoff}, which performs its normal TLS server handshake on it.
 *
 * <pre>{@code
 * try (BacklogPool pool = BacklogPool.builder().proxy(proxyAddress).snikeys(List.of(snikey))
 *         .handoff((key, channel) -> channel.pipeline().addLast(managerInitializer)).build()) {
 *     pool.bootstrap(); // every snikey has its target, or IOException when none registered at all
 * }
 * }</pre>
 *
 * <h2>Must be closed</h2>
 * A pool connects from {@link Builder#build()} until {@link #close()}, which closes the connections
 * not yet handed over (those belong to the manager) and, when the pool made its own event loop,
 * ends its thread.
 *
 * <h2>Failures</h2>
 * Every state of a registering connection must be left within the connection timeout, else the
 * connection is closed (with a warning) and replaced. A failed attempt (proxy unreachable, TLS
 * refused, non-zero {@code result}) is retried with a growing delay, one probe at a time per snikey.
 * A proxy that disappears is logged once ("proxy ... unreachable, retrying") and once more when it
 * is back. Unlike the reference manager, nothing here is fatal: the pool retries until closed, and
 * {@link #stats()} says why the last attempt failed.
 */
public final class BacklogPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BacklogPool.class);

    /**
     * Where a backlog connection goes once an endpoint uses it: the manager's side of the seam.
     */
    @FunctionalInterface
    public interface Handoff {
        /**
         * Takes over {@code channel}, registered for {@code snikey}, on which an endpoint has just
         * started its TLS handshake. Called on the channel's event loop: must not block. The
         * pipeline is empty; install the handlers of a TLS server (the manager's usual pipeline).
         * When this returns, the bytes received so far (the start of the endpoint's ClientHello,
         * exactly as the endpoint sent it) are fired into the pipeline. The manager owns the
         * channel from now on: the pool neither reads nor closes it.
         */
        void handOff(Snikey snikey, Channel channel);
    }

    /** Hears when the proxy stops being reachable and when it is back, for the manager to tell its user. */
    public interface Listener {
        /** No connection to the proxy could be made (once per outage); the pool keeps retrying. Must not block. */
        void proxyUnreachable(String reason);

        /** A connection registered again after an outage. Must not block. */
        void proxyReachable();
    }

    private static final class Counts {
        int registering;
        int ready;
        int failures;
        long retryAt;
    }

    private final InetSocketAddress proxy;
    private final int target;
    private final Duration connTimeout;
    private final Duration bootstrapTimeout;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final Handoff handoff;
    private final Listener listener;
    private final EventLoopGroup group;
    private final boolean ownGroup;
    private final Bootstrap bootstrap;
    private final PpksTls.Client tls;
    private final ChannelGroup channels = new DefaultChannelGroup("pktlab-backlog", ImmediateEventExecutor.INSTANCE);
    private final ChannelGroup ready = new DefaultChannelGroup("pktlab-backlog-ready", ImmediateEventExecutor.INSTANCE);
    private volatile boolean greeting = true;

    private final Object lock = new Object();
    private final Map<Snikey, Counts> counts = new LinkedHashMap<>();
    private boolean closed;
    private boolean retryScheduled;
    private boolean outage;
    private long registered;
    private long handedOff;
    private long failures;
    private long outages;
    private String lastFailure;
    private String lastLoggedFailure;

    private BacklogPool(Builder b) throws IOException {
        this.proxy = b.proxy;
        this.target = b.target;
        this.connTimeout = b.connTimeout;
        this.bootstrapTimeout = b.bootstrapTimeout;
        this.firstRetryDelay = b.firstRetryDelay;
        this.maxRetryDelay = b.maxRetryDelay;
        this.handoff = b.handoff;
        this.listener = b.listener;
        PpksTls.ClientBuilder client = PpksTls.client(VerifyMode.AGENT).roots(b.proxyRoots);
        if (b.identity != null) {
            client.identity(b.identity);
        }
        this.tls = client.build();
        for (Snikey s : b.snikeys) {
            counts.put(s, new Counts());
        }
        this.ownGroup = b.group == null;
        this.group = ownGroup ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pktlab-backlog", true), NioIoHandler.newFactory()) : b.group;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        maintain();
    }

    /** A builder with the reference's defaults: target 2, connection timeout 2 s, bootstrap timeout 5 s. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Waits until every snikey has its target of ready connections, or the bootstrap timeout
     * passes (spec/agents.md §A.7.5). Call it before publishing the experiment.
     *
     * @return the ready connections per snikey (some may be short of the target: a warning is logged)
     * @throws IOException if no snikey has a single ready connection at the end; the message says
     *                     why the last attempt failed
     */
    public Map<Snikey, Integer> bootstrap() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bootstrapTimeout.toNanos();
        synchronized (lock) {
            long left;
            while (!closed && !allReady() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            Map<Snikey, Integer> ready = readyCounts();
            if (ready.values().stream().allMatch(n -> n == 0)) {
                throw new IOException("bootstrap ended with no backlog connection to proxy " + proxy + " within "
                        + bootstrapTimeout.toMillis() + " ms" + (lastFailure == null ? "" : ": " + lastFailure));
            }
            if (!allReady()) {
                log.warn("bootstrap ended with fewer than {} backlog connections for some snikeys: {}", target, ready);
            }
            return ready;
        }
    }

    /** Ready connections of {@code snikey} now. */
    public int ready(Snikey snikey) {
        synchronized (lock) {
            Counts c = counts.get(snikey);
            if (c == null) {
                throw new IllegalArgumentException("snikey " + snikey + " is not in this pool");
            }
            return c.ready;
        }
    }

    /**
     * Hands connections over as endpoints use them ({@code true}, the default), or leaves endpoints
     * waiting ({@code false}): ready connections are then not read, so an endpoint's ClientHello
     * stays in the socket buffers until greeting resumes (the proxy-mode twin of not accepting on a
     * listening socket). While not greeting, a ready connection the proxy closed is noticed only
     * when greeting resumes. Thread-safe.
     */
    public void greet(boolean open) {
        greeting = open;
        ready.forEach(this::applyGreeting);
    }

    /** A connection finished registering: it reads (and so hands over) only while the pool greets. */
    void becameReady(Channel ch) {
        ready.add(ch);
        applyGreeting(ch);
    }

    boolean isGreeting() {
        return greeting;
    }

    private void applyGreeting(Channel ch) {
        // on the channel's loop, reading the flag there: the last change wins whatever the threads' order
        ch.eventLoop().execute(() -> {
            ReadyBacklogHandler waiting = ch.pipeline().get(ReadyBacklogHandler.class);
            if (waiting == null) {
                return; // handed over since: the manager's channel now, whose reads are not the pool's to stop
            }
            boolean open = greeting;
            ch.config().setAutoRead(open);
            if (open) {
                waiting.greetingResumed();
            }
        });
    }

    /** The pool's counters now. */
    public BacklogPoolStats stats() {
        synchronized (lock) {
            int registering = counts.values().stream().mapToInt(c -> c.registering).sum();
            return new BacklogPoolStats(readyCounts(), registering, registered, handedOff, failures, outages,
                    Optional.ofNullable(lastFailure));
        }
    }

    /** Closes the connections not yet handed over and stops refilling; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        channels.close().awaitUninterruptibly();
        if (ownGroup) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private boolean allReady() {
        return counts.values().stream().allMatch(c -> c.ready >= target);
    }

    private Map<Snikey, Integer> readyCounts() {
        Map<Snikey, Integer> m = new LinkedHashMap<>();
        counts.forEach((s, c) -> m.put(s, c.ready));
        return m;
    }

    /**
     * Opens connections until every snikey has {@code target} registering or ready ones, spreading
     * them round-robin (every snikey its first, then its second, ...). A snikey whose last attempt
     * failed gets one probe at a time, after its retry delay.
     */
    private void maintain() {
        List<Snikey> open = new ArrayList<>();
        long wakeAt = Long.MAX_VALUE;
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            for (int round = 0; round < target; round++) {
                for (Map.Entry<Snikey, Counts> e : counts.entrySet()) {
                    Counts c = e.getValue();
                    if (c.registering + c.ready > round) {
                        continue;
                    }
                    if (c.failures > 0 && c.registering > 0) {
                        continue;
                    }
                    if (c.failures > 0 && now - c.retryAt < 0) {
                        wakeAt = Math.min(wakeAt, c.retryAt);
                        continue;
                    }
                    c.registering++;
                    open.add(e.getKey());
                }
            }
            if (wakeAt != Long.MAX_VALUE && !retryScheduled) {
                retryScheduled = true;
                group.schedule(() -> {
                    synchronized (lock) {
                        retryScheduled = false;
                    }
                    maintain();
                }, Math.max(0, wakeAt - now), TimeUnit.NANOSECONDS);
            }
        }
        open.forEach(this::connect);
    }

    private void connect(Snikey snikey) {
        BacklogConnection conn = new BacklogConnection(this, snikey, connTimeout);
        ChannelFuture connecting = bootstrap.clone().handler(new BacklogClientInitializer(tls, conn)).connect(proxy);
        Channel ch = connecting.channel();
        channels.add(ch);
        ch.closeFuture().addListener(f -> conn.closed(ch));
        connecting.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                conn.connected(ch);
            } else {
                conn.fail("cannot connect: " + Causes.describe(f.cause()), true);
            }
        });
        synchronized (lock) {
            if (closed) {
                ch.close();
            }
        }
    }

    void registered(Snikey snikey) {
        boolean back = false;
        synchronized (lock) {
            Counts c = counts.get(snikey);
            c.registering--;
            c.ready++;
            c.failures = 0;
            registered++;
            lastLoggedFailure = null;
            if (outage) {
                outage = false;
                back = true;
                log.info("proxy {} reachable again", proxy);
            }
            lock.notifyAll();
        }
        if (back) {
            listener.proxyReachable();
        }
        maintain();
    }

    void failed(Snikey snikey, String reason, boolean unreachable, boolean wasReady) {
        boolean down = false;
        synchronized (lock) {
            Counts c = counts.get(snikey);
            if (wasReady) {
                c.ready--;
            } else {
                c.registering--;
            }
            c.failures++;
            long delay = Math.min(maxRetryDelay.toNanos(), firstRetryDelay.toNanos() << Math.min(20, c.failures - 1));
            c.retryAt = System.nanoTime() + delay;
            failures++;
            lastFailure = "snikey " + snikey + ": " + reason;
            if (closed) {
                return;
            }
            if (unreachable) {
                if (!outage) {
                    outage = true;
                    outages++;
                    down = true;
                    log.warn("proxy {} unreachable, retrying: {}", proxy, reason);
                }
            } else if (!reason.equals(lastLoggedFailure)) {
                lastLoggedFailure = reason;
                log.warn("backlog connection to proxy {} for snikey {} failed, retrying: {}", proxy, snikey, reason);
            }
        }
        if (down) {
            listener.proxyUnreachable(reason);
        }
        maintain();
    }

    void lost(Snikey snikey) {
        synchronized (lock) {
            counts.get(snikey).ready--;
        }
        maintain();
    }

    void handOff(BacklogConnection conn, Channel ch, ByteBuf first, boolean wasReady) {
        synchronized (lock) {
            Counts c = counts.get(conn.snikey());
            if (wasReady) {
                c.ready--;
            } else {
                c.registering--;
            }
            handedOff++;
        }
        channels.remove(ch);
        ready.remove(ch);
        maintain();
        ch.pipeline().remove(ReadyBacklogHandler.class);
        try {
            handoff.handOff(conn.snikey(), ch);
        } catch (RuntimeException e) {
            log.warn("the manager did not take the backlog connection for snikey {}; closing it", conn.snikey(), e);
            first.release();
            ch.close();
            return;
        }
        ch.pipeline().fireChannelRead(first);
        ch.pipeline().fireChannelReadComplete();
    }

    /** Builds a {@link BacklogPool}; each setter checks its value at once. */
    public static final class Builder {
        private InetSocketAddress proxy;
        private List<Snikey> snikeys = List.of();
        private TlsIdentity identity;
        private List<Ed25519PublicKey> proxyRoots = List.of();
        private int target = 2;
        private Duration connTimeout = Duration.ofSeconds(2);
        private Duration bootstrapTimeout = Duration.ofSeconds(5);
        private Duration firstRetryDelay = Duration.ofMillis(100);
        private Duration maxRetryDelay = Duration.ofSeconds(5);
        private EventLoopGroup group;
        private Handoff handoff;
        private Listener listener = new Listener() {
            @Override
            public void proxyUnreachable(String reason) {}

            @Override
            public void proxyReachable() {}
        };

        private Builder() {}

        /** The proxy's setup address ({@code -a}; the reference's default port is {@value Proxy#DEFAULT_SETUP_PORT}). Required. */
        public Builder proxy(InetSocketAddress address) {
            this.proxy = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The snikeys to keep connections registered for (those of every ExpExec entry). Required, not empty. */
        public Builder snikeys(Collection<Snikey> snikeys) {
            List<Snikey> distinct = List.copyOf(new LinkedHashSet<>(snikeys));
            if (distinct.isEmpty()) {
                throw new IllegalArgumentException("snikeys is empty");
            }
            this.snikeys = distinct;
            return this;
        }

        /** The agent certificate and key to present to the proxy ({@code BacklogConnAgentCertPath}); default none. */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Keys that must have signed the proxy's agent certificate ({@code ProxyCertRootPath}); default none = any. */
        public Builder proxyRoots(Collection<Ed25519PublicKey> roots) {
            this.proxyRoots = List.copyOf(roots);
            return this;
        }

        /** Ready connections to keep per snikey ({@code TargetBacklogConn}, default 2). */
        public Builder target(int target) {
            if (target <= 0) {
                throw new IllegalArgumentException("target <= 0");
            }
            this.target = target;
            return this;
        }

        /** How long a registering connection may stay in one state ({@code BacklogConnTimeout}, default 2 s). */
        public Builder connTimeout(Duration timeout) {
            this.connTimeout = positive(timeout, "connTimeout");
            return this;
        }

        /** How long {@link #bootstrap()} waits ({@code BootstrapBacklogTimeout}, default 5 s). */
        public Builder bootstrapTimeout(Duration timeout) {
            this.bootstrapTimeout = positive(timeout, "bootstrapTimeout");
            return this;
        }

        /** The delay before retrying a snikey after one failure, doubling with each further failure up to {@code max} (default 100 ms, 5 s). */
        public Builder retryDelay(Duration first, Duration max) {
            this.firstRetryDelay = positive(first, "first retry delay");
            this.maxRetryDelay = positive(max, "max retry delay");
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max retry delay < first retry delay");
            }
            return this;
        }

        /** The event loops to run the connections on (the manager's, so a handed-over channel lives there); default: the pool's own thread. */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Where connections go when endpoints use them. Required. */
        public Builder handoff(Handoff handoff) {
            this.handoff = Objects.requireNonNull(handoff, "handoff");
            return this;
        }

        /** Who hears of the proxy's outages (default: nobody; they are logged either way). */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Starts the pool: it begins registering at once.
         *
         * @throws IOException if the identity or roots cannot make a TLS context
         */
        public BacklogPool build() throws IOException {
            if (proxy == null) {
                throw new IllegalStateException("pool needs the proxy's address");
            }
            if (snikeys.isEmpty()) {
                throw new IllegalStateException("pool needs at least one snikey");
            }
            if (handoff == null) {
                throw new IllegalStateException("pool needs a handoff");
            }
            return new BacklogPool(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " <= 0");
            }
            return d;
        }
    }
}
