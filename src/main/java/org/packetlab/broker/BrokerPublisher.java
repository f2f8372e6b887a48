package org.packetlab.broker;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Xcert;

/**
 * A manager's connection to a broker's publication port (spec/agents.md §B.2), behaving as the
 * reference manager: TLS in agent mode without SNI, then per {@link Publication} one
 * {@code xcert} per chain certificate (leaf first) and one {@code xpub}, strictly one request at
 * a time; the connection then stays open and silent, and the broker keeps the publications until
 * it closes.
 *
 * <pre>{@code
 * try (BrokerPublisher publisher = BrokerPublisher.builder()
 *         .broker(brokerAddress)
 *         .identity(TlsIdentity.of(k_xc, List.of(agentCert)))
 *         .brokerRoots(List.of(k_bop))
 *         .connect()) {
 *     publisher.publish(publication).get();      // BrokerRefusedException (in an ExecutionException) when refused
 *     publisher.closeFuture().get();             // the broker ended the connection: publication over
 * }
 * }</pre>
 *
 * <p>The reference manager publishes its {@code ExpExec} entries in reverse configuration-file
 * order, each as one {@link Publication}, and treats any refusal as fatal.
 *
 * <h2>The publisher must be closed</h2>
 * It holds a connection (and, unless given shared event loops, a thread); closing it sends
 * close_notify, closes TCP and thereby withdraws every publication it made.
 */
public final class BrokerPublisher implements AutoCloseable {
    private final BrokerConnector connector;
    private final Channel channel;
    private final PublisherHandler handler;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private BrokerPublisher(BrokerConnector connector, Channel channel, PublisherHandler handler) {
        this.connector = connector;
        this.channel = channel;
        this.handler = handler;
        channel.closeFuture().addListener(f -> closed.complete(null));
    }

    /** A builder; {@link Builder#broker}, {@link Builder#identity} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes: sends the publication's certificates and its {@code xpub} behind any publication
     * still in progress. The future completes when the broker accepts the {@code xpub}; it fails
     * with {@link BrokerRefusedException} when the broker refuses any of the requests (the
     * connection stays usable), or with an {@link IOException} when the connection fails.
     */
    public CompletableFuture<Void> publish(Publication publication) {
        Objects.requireNonNull(publication, "publication");
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<PublisherHandler.Step> steps = new ArrayList<>();
        List<Xcert> certs = publication.xcerts();
        for (int i = 0; i < certs.size(); i++) {
            steps.add(new PublisherHandler.Step(certs.get(i), "xcert " + (i + 1) + " of " + certs.size() + " ("
                    + publication.chain().get(i).type() + ")", done, false));
        }
        steps.add(new PublisherHandler.Step(publication.xpub(), "xpub", done, true));
        channel.eventLoop().execute(() -> handler.enqueue(steps));
        return done;
    }

    /** The broker's address. */
    public InetSocketAddress brokerAddress() {
        return connector.broker();
    }

    /** The local address of the broker connection: the reference's default {@code controller_addr} in listen mode. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Completes when the connection has ended, whoever ended it: after {@link #close()}, or when the
     * broker closed it or it failed (then the publications are over and the reference manager
     * stops publishing).
     */
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    /** Closes the connection (close_notify, then TCP close), withdrawing the publications; idempotent. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        connector.shutdown();
    }

    /** Configures a {@link BrokerPublisher}. */
    public static final class Builder {
        private InetSocketAddress broker;
        private TlsIdentity identity;
        private List<Ed25519PublicKey> brokerRoots = List.of();
        private Duration timeout = Duration.ofSeconds(30);
        private EventLoopGroup loops;

        private Builder() {}

        /** The broker's publication address ({@code BrokerAddr}, default port {@value Broker#PUBLICATION_PORT}). */
        public Builder broker(InetSocketAddress address) {
            this.broker = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The manager's agent certificate ({@code PubAgentCertPath}, subject = the controller key) and that key. */
        public Builder identity(TlsIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** Keys trusted to sign the broker's certificate ({@code BrokerCertRootPath}); none = the broker is not checked, as in the reference. */
        public Builder brokerRoots(Collection<Ed25519PublicKey> roots) {
            this.brokerRoots = List.copyOf(roots);
            return this;
        }

        /** Limit on the TCP connect and on the TLS handshake (the reference has none; default 30 s). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout <= 0");
            }
            this.timeout = timeout;
            return this;
        }

        /** Shared event loops to run on; the publisher then does not shut them down. */
        public Builder eventLoops(EventLoopGroup loops) {
            this.loops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /**
         * Connects and completes the TLS handshake (blocking; call from a virtual thread or the main thread).
         *
         * @throws IOException when the broker cannot be reached or the handshake fails (for example
         *                     a broker certificate not signed by a trusted root), naming the reason
         */
        public BrokerPublisher connect() throws IOException {
            if (broker == null || identity == null) {
                throw new IllegalStateException("broker and identity are required");
            }
            BrokerConnector connector = new BrokerConnector(broker, identity, brokerRoots, timeout, loops, "pktlab-publisher");
            PublisherHandler handler = new PublisherHandler();
            BrokerConnector.Connecting attempt = connector.connectSecured(() -> handler);
            ChannelFuture connected = attempt.tcp().awaitUninterruptibly();
            try {
                if (!connected.isSuccess()) {
                    throw new IOException("cannot connect to the broker at " + broker + ": " + BrokerConnector.describe(connected.cause()),
                            connected.cause());
                }
                var handshake = attempt.tls().awaitUninterruptibly();
                if (!handshake.isSuccess()) {
                    throw new IOException("TLS with the broker at " + broker + " failed: " + BrokerConnector.describe(handshake.cause()),
                            handshake.cause());
                }
                return new BrokerPublisher(connector, connected.channel(), handler);
            } catch (IOException e) {
                connected.channel().close().awaitUninterruptibly();
                connector.shutdown();
                throw e;
            }
        }
    }
}
