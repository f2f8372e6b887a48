package org.packetlab.endpoint;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Verdict;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.PacketLabCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes control connections to controllers (spec/agents.md §C.5): resolves the address, tries each
 * address with a connect timeout, starts over after a retry delay, gives up after a deadline; then
 * runs the TLS 1.3 client handshake and hands the verified session to a {@link SetupHandler}.
 *
 * <p>Pipeline of a control connection, top to bottom:
 * <pre>
 *   tls       SslHandler (PPKS, ENDPOINT_AUTH_CONTROLLER, SNI = snikey)
 *   frame     PacketLabFrameDecoder (max body from BufMax)
 *   codec     PacketLabCodec
 *   flush     FlushConsolidationHandler (one TLS record for a burst of messages)
 *   session   HandshakeHandler, then SetupHandler, then RequestHandler
 *   guard     ControlGuardHandler (back-pressure, errors, end of connection)
 * </pre>
 */
final class ControlChannels {
    static final String SESSION_HANDLER = "session";
    static final String GUARD_HANDLER = "guard";
    private static final Logger log = LoggerFactory.getLogger(ControlChannels.class);

    /** Connection timing of §C.5. */
    record Timing(Duration connectTimeout, Duration retryDelay, Duration giveUpAfter, Duration handshakeTimeout) {}

    private final EventLoopGroup group;
    private final SessionSettings settings;
    private final Timing timing;

    ControlChannels(EventLoopGroup group, SessionSettings settings, Timing timing) {
        this.group = group;
        this.settings = settings;
        this.timing = timing;
    }

    /** Runs one session with the controller at {@code controller} (resolved or not) through {@code tls}. */
    CompletableFuture<SessionOutcome> connect(InetSocketAddress controller, PpksTls.Client tls) {
        CompletableFuture<SessionOutcome> outcome = new CompletableFuture<>();
        settings.registry().trackOutcome(outcome);
        long giveUpAt = System.nanoTime() + timing.giveUpAfter().toNanos();
        resolve(controller).whenComplete((addresses, failure) -> {
            if (failure != null) {
                log.warn("controller {}: cannot resolve: {}", Addresses.describe(controller), MeasurementSocket.describe(failure));
                outcome.complete(new SessionOutcome.Unreachable("cannot resolve " + controller.getHostString()));
            } else {
                new Attempts(addresses, giveUpAt, tls, outcome).next();
            }
        });
        return outcome;
    }

    /** Resolves a name on a virtual thread (name lookups block); literals and resolved addresses need none. */
    private static CompletableFuture<List<InetSocketAddress>> resolve(InetSocketAddress a) {
        if (!a.isUnresolved()) {
            return CompletableFuture.completedFuture(List.of(a));
        }
        Optional<InetAddress> literal = Addresses.literal(a.getHostString());
        if (literal.isPresent()) {
            return CompletableFuture.completedFuture(List.of(new InetSocketAddress(literal.get(), a.getPort())));
        }
        CompletableFuture<List<InetSocketAddress>> f = new CompletableFuture<>();
        Thread.ofVirtual().name("resolve-" + a.getHostString()).start(() -> {
            try {
                f.complete(Arrays.stream(InetAddress.getAllByName(a.getHostString())).map(i -> new InetSocketAddress(i, a.getPort())).toList());
            } catch (UnknownHostException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /** The connection attempts of one session: each address in turn, rounds separated by the retry delay, until the deadline. */
    private final class Attempts {
        private final List<InetSocketAddress> addresses;
        private final long giveUpAt;
        private final PpksTls.Client tls;
        private final CompletableFuture<SessionOutcome> outcome;
        private int index;
        private String lastFailure = "no attempt";

        Attempts(List<InetSocketAddress> addresses, long giveUpAt, PpksTls.Client tls, CompletableFuture<SessionOutcome> outcome) {
            this.addresses = addresses;
            this.giveUpAt = giveUpAt;
            this.tls = tls;
            this.outcome = outcome;
        }

        void next() {
            if (settings.registry().isClosed()) {
                outcome.complete(new SessionOutcome.EndpointClosed());
                return;
            }
            long left = giveUpAt - System.nanoTime();
            if (left <= 0) {
                log.warn("controller {}: unreachable, giving up after {}: {}", addresses.getFirst(), timing.giveUpAfter(), lastFailure);
                outcome.complete(new SessionOutcome.Unreachable(lastFailure));
                return;
            }
            if (index == addresses.size()) {
                index = 0;
                group.next().schedule(this::next, Math.min(timing.retryDelay().toNanos(), left), TimeUnit.NANOSECONDS);
                return;
            }
            InetSocketAddress to = addresses.get(index++);
            int timeout = (int) Math.max(1, Math.min(timing.connectTimeout().toMillis(), TimeUnit.NANOSECONDS.toMillis(left)));
            ChannelFuture f = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeout)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .handler(new Initializer(tls, outcome))
                    .connect(to);
            f.addListener(done -> {
                if (done.isSuccess()) {
                    log.info("controller {}: connected", Addresses.describe(to));
                } else {
                    lastFailure = "connect to " + Addresses.describe(to) + ": " + MeasurementSocket.describe(done.cause());
                    next();
                }
            });
        }
    }

    /** The pipeline of a control connection up to the TLS handshake. */
    private final class Initializer extends ChannelInitializer<SocketChannel> {
        private final PpksTls.Client tls;
        private final CompletableFuture<SessionOutcome> outcome;

        Initializer(PpksTls.Client tls, CompletableFuture<SessionOutcome> outcome) {
            this.tls = tls;
            this.outcome = outcome;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            settings.registry().trackControl(ch);
            SslHandler ssl = tls.newHandler(ch.alloc());
            ssl.setHandshakeTimeout(timing.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            ch.pipeline().addLast("tls", ssl);
            PacketLabCodec.addTo(ch.pipeline(), settings.maxRequestBody());
            ch.pipeline().addLast("flush", new FlushConsolidationHandler(256, true))
                    .addLast(SESSION_HANDLER, new HandshakeHandler(outcome));
        }
    }

    /**
     * Waits for the TLS handshake: on success builds the session from the verified controller chain
     * and puts the setup phase in its place; on failure ends the run with the reason.
     */
    private final class HandshakeHandler extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<SessionOutcome> outcome;
        private String failure;
        private SessionOutcome refusal;

        HandshakeHandler(CompletableFuture<SessionOutcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof SslHandshakeCompletionEvent done)) {
                ctx.fireUserEventTriggered(evt);
                return;
            }
            String peer = Addresses.describe(ctx.channel().remoteAddress());
            if (!done.isSuccess()) {
                refuse(ctx, peer, new SessionOutcome.TlsRefused(reason(done.cause())));
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            Optional<Verdict.Verified> verdict = PpksTls.peerVerdict(ssl.engine().getSession());
            if (verdict.isEmpty()) {
                refuse(ctx, peer, new SessionOutcome.TlsRefused("controller presented no verified chain"));
                return;
            }
            SessionLimits limits = SessionLimits.of(verdict.get().chain(), settings.clock().getAsLong());
            if (limits.monitors().size() > SessionLimits.MAX_MONITOR_DIGESTS) {
                refuse(ctx, peer, new SessionOutcome.LimitsRefused(limits.monitors().size() + " monitor digests, at most "
                        + SessionLimits.MAX_MONITOR_DIGESTS));
                return;
            }
            log.info("controller {}: tls ok ({}; {} monitor digest(s) required)", peer, verdict.get().describe(), limits.monitors().size());
            Session session = new Session(ctx.channel(), peer, settings, limits, outcome);
            ctx.pipeline().addLast(GUARD_HANDLER, new ControlGuardHandler(session));
            ctx.pipeline().replace(this, SESSION_HANDLER, new SetupHandler(session));
        }

        private void refuse(ChannelHandlerContext ctx, String peer, SessionOutcome why) {
            log.warn("controller {}: {}", peer, why.describe());
            refusal = why;
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // the handshake event follows with the same cause; remember it in case the channel closes first
            failure = reason(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outcome.complete(refusal != null ? refusal
                    : settings.registry().isClosed() ? new SessionOutcome.EndpointClosed()
                    : new SessionOutcome.TlsRefused(failure != null ? failure : "connection closed during the handshake"));
        }

        private static String reason(Throwable cause) {
            StringBuilder sb = new StringBuilder();
            for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
                String m = MeasurementSocket.describe(c);
                if (sb.indexOf(m) < 0) {
                    sb.append(sb.isEmpty() ? "" : ": ").append(m);
                }
            }
            return sb.toString();
        }
    }
}
