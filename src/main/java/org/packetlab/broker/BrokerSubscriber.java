package org.packetlab.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Xnotify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's subscription at a broker's subscription port (spec/agents.md §C.2), kept alive as
 * the reference endpoint keeps it: connect, TLS in agent mode without SNI (the broker's agent
 * certificate must be signed by a trusted broker-operator key), send the {@link Subscription}'s
 * {@code xcert}s and {@code xsub} pipelined, expect one successful {@code result} each and
 * nothing before the last, then hand every {@code xnotify} to the {@link Listener}. On a
 * refusal, a protocol error, a TLS failure or the end of the connection it reconnects after a
 * short back-off (the reference reconnects at once; the back-off keeps a refused endpoint out of a
 * hot loop); when the broker cannot be reached it retries every 5 s.
 *
 * <pre>{@code
 * BrokerSubscriber subscriber = BrokerSubscriber.builder()
 *         .broker(new InetSocketAddress("broker.example", Broker.SUBSCRIPTION_PORT))
 *         .identity(TlsIdentity.of(k_ep, List.of(agentCert)))
 *         .brokerRoots(List.of(k_bop))
 *         .subscription(Subscription.of(chain, opKeys, true, List.of(), dattr))
 *         .listener(n -> deputy.offer(n.xdescr()))
 *         .start();
 * }</pre>
 *
 * <h2>The subscriber must be closed</h2>
 * It holds a connection, a retry timer and (unless given shared event loops) a thread until
 * {@link #close()}.
 */
public final class BrokerSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerSubscriber.class);

    /**
     * Receives what the subscription brings. Called on the subscriber's event loop: return
     * quickly, never block (hand descriptors to another thread or queue).
     */
    @FunctionalInterface
    public interface Listener {
        /** A descriptor arrived ({@code xnotify}): the channel it came on and the xdescr. */
        void notified(Xnotify notification);

        /** The broker accepted the subscription (after every connection, including reconnections). */
        default void subscribed() {}

        /** The connection ended or could not be made; the next attempt comes after {@code retryIn}. */
        default void disconnected(String reason, Duration retryIn) {}
    }

    private final BrokerConnector connector;
    private final EventLoop loop;
    private final Subscription subscription;
    private final Listener listener;
    private final Duration firstRetry;
    private final Duration maxRetry;
    private final Duration connectRetry;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Channel current;
    private volatile boolean subscribed;
    private ScheduledFuture<?> retry;
    private int failures;
    private int restarts;

    private BrokerSubscriber(BrokerConnector connector, Subscription subscription, Listener listener,
                             Duration firstRetry, Duration maxRetry, Duration connectRetry) {
        this.connector = connector;
        this.loop = connector.loops().next();
        this.subscription = subscription;
        this.listener = listener;
        this.firstRetry = firstRetry;
        this.maxRetry = maxRetry;
        this.connectRetry = connectRetry;
    }

    /** A builder; broker, identity, broker roots, subscription and listener are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the subscription is currently accepted by the broker. */
    public boolean isSubscribed() {
        return subscribed;
    }

    /**
     * How many times the subscriber has reconnected after a failure, modulo 256: the reference
     * endpoint's restart counter, which it attaches to every descriptor it forwards.
     */
    public int restarts() {
        return restarts & 0xFF;
    }

    /** Ends the subscription (close_notify, TCP close) and stops reconnecting; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.submit(() -> {
            if (retry != null) {
                retry.cancel(false);
            }
            if (current != null) {
                current.close();
            }
        }).awaitUninterruptibly(5, TimeUnit.SECONDS);
        Channel c = current;
        if (c != null) {
            c.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        subscribed = false;
        connector.shutdown();
    }

    private void attempt() {
        if (closed.get()) {
            return;
        }
        ChannelFuture f = connector.connect(loop, () -> new SubscriberHandler(subscription, new Events()));
        current = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                retryAfter(connectRetry, "cannot connect to the broker at " + connector.broker() + ": " + BrokerConnector.describe(done.cause()));
            }
        });
    }

    private void retryAfter(Duration delay, String reason) {
        subscribed = false;
        if (closed.get()) {
            return;
        }
        restarts++;
        log.info("broker subscription at {}: {}; retrying in {} ms", connector.broker(), reason, delay.toMillis());
        listener.disconnected(reason, delay);
        retry = loop.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The back-off after a refusal or a lost connection: doubling from the first delay up to the maximum. */
    private Duration backoff() {
        Duration d = firstRetry.multipliedBy(1L << Math.min(failures, 20));
        failures++;
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }

    /** Events of the current connection; all on {@link #loop}. */
    private final class Events implements SubscriberHandler.Events {
        @Override
        public void subscribed() {
            failures = 0;
            subscribed = true;
            log.info("subscribed at the broker {} to {}", connector.broker(), subscription.channels());
            listener.subscribed();
        }

        @Override
        public void notified(Xnotify notification) {
            listener.notified(notification);
        }

        @Override
        public void ended(String reason) {
            retryAfter(backoff(), reason);
        }
    }

    /** Configures a {@link BrokerSubscriber}. */
    public static final class Builder {
        private InetSocketAddress broker;
        private TlsIdentity identity;
        private List<Ed25519PublicKey> brokerRoots = List.of();
        private Subscription subscription;
        private Listener listener;
        private Duration firstRetry = Duration.ofMillis(250);
        private Duration maxRetry = Duration.ofSeconds(5);
        private Duration connectRetry = Duration.ofSeconds(5);
        private Duration connectTimeout = Duration.ofSeconds(15);
        private EventLoopGroup loops;

        private Builder() {}

        /** The broker's subscription address ({@code BrokerAddr}, default port {@value Broker#SUBSCRIPTION_PORT}). */
        public Builder broker(InetSocketAddress address) {
            this.broker = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The endpoint's agent certificate ({@code EndpointAgentCertPath}) and key ({@code EndpointPrivKey}). */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Keys trusted to sign the broker's certificate ({@code BrokerChainRootPath}); mandatory, as in the reference. */
        public Builder brokerRoots(Collection<Ed25519PublicKey> roots) {
            this.brokerRoots = List.copyOf(roots);
            return this;
        }

        /** What to subscribe with. */
        public Builder subscription(Subscription subscription) {
            this.subscription = Objects.requireNonNull(subscription, "subscription");
            return this;
        }

        /** Receives descriptors and connection events. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Back-off after a refusal or a lost connection: {@code first}, doubling up to {@code max} (default 250 ms .. 5 s). */
        public Builder retryBackoff(Duration first, Duration max) {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
                throw new IllegalArgumentException("retry back-off needs 0 < first <= max");
            }
            this.firstRetry = first;
            this.maxRetry = max;
            return this;
        }

        /** Delay before retrying when the broker cannot be reached (default 5 s, as the reference). */
        public Builder connectRetry(Duration delay) {
            if (delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("connectRetry <= 0");
            }
            this.connectRetry = delay;
            return this;
        }

        /** Limit on each TCP connect (default 15 s, as the reference) and TLS handshake. */
        public Builder connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout <= 0");
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Shared event loops to run on; the subscriber then does not shut them down. */
        public Builder eventLoops(EventLoopGroup loops) {
            this.loops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /**
         * Starts subscribing in the background and returns at once; progress is reported to the listener.
         *
         * @throws IOException when the TLS context cannot be set up
         */
        public BrokerSubscriber start() throws IOException {
            if (broker == null || identity == null || subscription == null || listener == null) {
                throw new IllegalStateException("broker, identity, subscription and listener are required");
            }
            if (brokerRoots.isEmpty()) {
                throw new IllegalStateException("brokerRoots are required (BrokerChainRootPath): the broker must be authenticated");
            }
            BrokerConnector connector = new BrokerConnector(broker, identity, brokerRoots, connectTimeout, loops, "pktlab-subscriber");
            BrokerSubscriber s = new BrokerSubscriber(connector, subscription, listener, firstRetry, maxRetry, connectRetry);
            s.loop.execute(s::attempt);
            return s;
        }
    }
}
