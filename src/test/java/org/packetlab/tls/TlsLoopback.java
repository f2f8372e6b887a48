package org.packetlab.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLSession;

/**
 * A real TLS server and client on 127.0.0.1 (ephemeral port) with Netty. Each side records how
 * its handshake ended; after a good handshake the server sends "ok" and the client reads it.
 */
final class TlsLoopback implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Channel serverChannel;
    final CompletableFuture<Outcome> server = new CompletableFuture<>();
    final CompletableFuture<SniCompletionEvent> sni = new CompletableFuture<>();
    final CompletableFuture<Void> serverClosed = new CompletableFuture<>();

    /** How a handshake ended: the session, or the failure. */
    record Outcome(SSLSession session, String applicationProtocol, Throwable failure) {
        boolean ok() {
            return failure == null;
        }

        /** Every message of the failure and its causes, for asserting on the reason. */
        String reasons() {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
            }
            return sb.toString();
        }
    }

    TlsLoopback(PpksTls.Server tls) throws InterruptedException {
        serverChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.closeFuture().addListener(f -> serverClosed.complete(null));
                        ch.pipeline().addLast("tls", tls.newHandler()).addLast("outcome", new Recorder(server, true));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Connects a client whose pipeline starts with {@code tls}; returns its outcome (completed after "ok" arrived, or on failure). */
    CompletableFuture<Outcome> connect(Function<Channel, ChannelHandler> tls) throws InterruptedException {
        CompletableFuture<Outcome> client = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.apply(ch)).addLast("outcome", new Recorder(client, false));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port())).sync();
        return client;
    }

    CompletableFuture<Outcome> connect(PpksTls.Client client) throws InterruptedException {
        return connect(ch -> client.newHandler(ch.alloc()));
    }

    @Override
    public void close() throws InterruptedException {
        serverChannel.close().sync();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }

    /** Records the handshake outcome; the server answers "ok", the client completes when it reads it. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Outcome> outcome;
        private final boolean serverSide;
        private SSLSession session;
        private String protocol;

        Recorder(CompletableFuture<Outcome> outcome, boolean serverSide) {
            this.outcome = outcome;
            this.serverSide = serverSide;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent e) {
                sni.complete(e);
            } else if (evt instanceof SslHandshakeCompletionEvent e) {
                if (!e.isSuccess()) {
                    outcome.complete(new Outcome(null, null, e.cause()));
                    ctx.close();
                    return;
                }
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                session = ssl.engine().getSession();
                protocol = ssl.applicationProtocol();
                if (serverSide) {
                    outcome.complete(new Outcome(session, protocol, null));
                    ctx.writeAndFlush(Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!serverSide && msg instanceof ByteBuf b && b.toString(StandardCharsets.US_ASCII).equals("ok")) {
                    outcome.complete(new Outcome(session, protocol, null));
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            outcome.complete(new Outcome(null, null, new java.nio.channels.ClosedChannelException()));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            outcome.complete(new Outcome(null, null, cause));
            ctx.close();
        }
    }
}
