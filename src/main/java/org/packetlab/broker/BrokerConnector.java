package org.packetlab.broker;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.PacketLabCodec;

/**
 * How both broker clients connect (spec/agents.md §B.2, §C.2): TCP with keepalive and no Nagle,
 * TLS 1.3 in agent mode without SNI, presenting one agent certificate and checking the broker's
 * against the broker-operator roots, then PacketLab framing and the client's session handler.
 */
final class BrokerConnector {
    /** Largest message a client accepts from a broker: a result, or an xnotify with a descriptor. */
    static final int MAX_BODY = 64 * 1024;

    private final PpksTls.Client tls;
    private final EventLoopGroup loops;
    private final boolean ownsLoops;
    private final InetSocketAddress broker;
    private final Duration connectTimeout;

    BrokerConnector(InetSocketAddress broker, TlsIdentity identity, Collection<Ed25519PublicKey> roots,
                    Duration connectTimeout, EventLoopGroup shared, String threadName) throws IOException {
        if (identity.chain().size() != 1 || identity.chain().get(0).type() != CertType.AGENT) {
            throw new IllegalArgumentException("a broker client presents exactly one agent certificate, not " + identity.chain());
        }
        try {
            this.tls = PpksTls.client(VerifyMode.AGENT).roots(roots).identity(identity).build();
        } catch (SSLException e) {
            throw new IOException("cannot set up TLS towards the broker: " + e.getMessage(), e);
        }
        this.broker = broker;
        this.connectTimeout = connectTimeout;
        this.ownsLoops = shared == null;
        this.loops = shared != null ? shared
                : new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
    }

    /**
     * Starts one connection on {@code loop} (a subscriber keeps all its connections on one) whose
     * session handler comes from {@code session}; TLS starts once TCP is up.
     */
    ChannelFuture connect(EventLoopGroup loop, Supplier<ChannelHandler> session) {
        return bootstrap(loop, session, null);
    }

    /**
     * A connection being made: {@code tcp} completes when TCP is up, {@code tls} when the
     * handshake is over (it fails too when TCP does). The handshake outcome is taken from the
     * handler as it is added: after a failed handshake the closed channel no longer holds it.
     */
    record Connecting(ChannelFuture tcp, Future<Channel> tls) {
    }

    /** Starts one connection on the connector's own loops, as {@link #connect}, also watching the TLS handshake. */
    Connecting connectSecured(Supplier<ChannelHandler> session) {
        Promise<Channel> secured = loops.next().newPromise();
        ChannelFuture tcp = bootstrap(loops, session, secured);
        tcp.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                secured.tryFailure(f.cause());
            }
        });
        return new Connecting(tcp, secured);
    }

    private ChannelFuture bootstrap(EventLoopGroup loop, Supplier<ChannelHandler> session, Promise<Channel> secured) {
        return new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(connectTimeout.toMillis());
                        if (secured != null) {
                            secured.setUncancellable();
                            ssl.handshakeFuture().addListener(h -> {
                                if (h.isSuccess()) {
                                    secured.trySuccess(ch);
                                } else {
                                    secured.tryFailure(h.cause());
                                }
                            });
                        }
                        ch.pipeline().addLast("tls", ssl);
                        PacketLabCodec.addTo(ch.pipeline(), MAX_BODY);
                        ch.pipeline().addLast("session", session.get());
                    }
                })
                .connect(broker);
    }

    InetSocketAddress broker() {
        return broker;
    }

    EventLoopGroup loops() {
        return loops;
    }

    /** Stops the client's own event loop (a shared group is left alone). */
    void shutdown() {
        if (ownsLoops) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    /** One line naming a failure and those of its causes that add something. */
    static String describe(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (out.stream().noneMatch(s -> s.contains(m))) {
                out.add(m);
            }
        }
        return String.join(": ", out);
    }
}
