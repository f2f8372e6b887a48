package org.packetlab.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.Snikey;

/**
 * The two ends of relayed sessions: a manager-side {@link BacklogPool.Handoff} that installs a real
 * TLS server (the manager's experiment chain) echoing what it decrypts, and endpoint-side TLS
 * clients that send bytes and collect the echo.
 */
final class RelayHarness implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    /** What the manager side saw of each session: the SNI and the negotiated protocol. */
    final BlockingQueue<String> sessions = new LinkedBlockingQueue<>();
    /** Snikeys of the connections handed over by the pool. */
    final BlockingQueue<Snikey> handoffs = new LinkedBlockingQueue<>();

    /** A handoff that runs the manager's TLS server {@code tls} and echoes application bytes. */
    BacklogPool.Handoff echoingManager(PpksTls.Server tls) {
        return (snikey, ch) -> {
            handoffs.add(snikey);
            ch.pipeline().addLast("tls", tls.newHandler()).addLast("echo", new Echo());
        };
    }

    private final class Echo extends ChannelInboundHandlerAdapter {
        private String sni;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent e) {
                sni = e.hostname();
            } else if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                sessions.add(sni + " " + ctx.pipeline().get(SslHandler.class).engine().getSession().getProtocol());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Connects to {@code endpointPort} as an endpoint with {@code tls}, sends {@code payload} after the
     * handshake and completes with the bytes echoed back (as many as were sent), or exceptionally
     * when the handshake fails or the connection closes first.
     */
    CompletableFuture<byte[]> echo(InetSocketAddress endpointPort, PpksTls.Client tls, byte[] payload) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc())).addLast("collect", new Collect(payload, result));
                    }
                })
                .connect(endpointPort)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        result.completeExceptionally(f.cause());
                    }
                });
        return result;
    }

    private static final class Collect extends ChannelInboundHandlerAdapter {
        private final byte[] payload;
        private final CompletableFuture<byte[]> result;
        private final ByteArrayOutputStream got = new ByteArrayOutputStream();

        Collect(byte[] payload, CompletableFuture<byte[]> result) {
            this.payload = payload;
            this.result = result;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                if (e.isSuccess()) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(payload));
                } else {
                    result.completeExceptionally(e.cause());
                    ctx.close();
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                ByteBuf b = (ByteBuf) msg;
                b.readBytes(got, b.readableBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
            if (got.size() >= payload.length) {
                result.complete(got.toByteArray());
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.completeExceptionally(new ClosedChannelException());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
