package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a relay between an endpoint connection and a backlog connection, in the manner
 * of Netty's HexDumpProxy: both channels on one event loop with {@code AUTO_READ} off, the next
 * chunk read only once the previous one was written to the peer, bytes passed on untouched (spec/agents.md
 * §A.8 3.4). An end of input (FIN) becomes the peer's end of output once everything before it was
 * written; when both inputs have ended, or one side closes or fails, both close (a reset is
 * passed on as a reset).
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RelayHandler.class);

    private final Channel peer;
    private final ProxyCounters counters;

    RelayHandler(Channel peer, ProxyCounters counters) {
        this.peer = peer;
        this.counters = counters;
    }

    /**
     * Turns both connections into relay mode and the backlog side into a relay towards the
     * endpoint; the caller then puts a relay towards the backlog connection into the endpoint's
     * pipeline. Both channels must be on the calling event loop.
     */
    static void start(Channel endpoint, Channel backlog, ProxyCounters counters) {
        for (Channel ch : new Channel[] {endpoint, backlog}) {
            ch.config().setAutoRead(false);
            ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        counters.relays.incrementAndGet();
        endpoint.closeFuture().addListener(f -> counters.relays.decrementAndGet());
        backlog.pipeline().replace(IdleBacklogHandler.class, "relay", new RelayHandler(endpoint, counters));
        backlog.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.bytesRelayed.add(((ByteBuf) msg).readableBytes());
        peer.writeAndFlush(msg).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                ctx.channel().close();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != ChannelInputShutdownEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        Channel self = ctx.channel();
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture f) -> {
            if (!f.isSuccess() || !(peer instanceof DuplexChannel duplex)) {
                self.close();
                return;
            }
            duplex.shutdownOutput().addListener((ChannelFuture g) -> {
                if (!g.isSuccess() || duplex.isInputShutdown()) {
                    self.close();
                    peer.close();
                }
            });
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("relay {} <-> {} ends: {}", ctx.channel().remoteAddress(), peer.remoteAddress(), Causes.describe(cause));
        if (cause instanceof IOException && peer.isActive()) {
            peer.config().setOption(ChannelOption.SO_LINGER, 0); // the peer sees the reset as a reset
            peer.close();
        }
        ctx.close();
    }
}
