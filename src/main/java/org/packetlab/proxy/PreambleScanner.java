package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Finds the proxy's preamble in the raw stream as the reference manager does ({@link Preamble.Matcher}:
 * whatever comes before it, such as a close_notify record of the proxy, is discarded), answers with
 * the manager's own {@code PKTLAB}, and leaves the connection to a {@link ReadyBacklogHandler}. Bytes
 * after the preamble are not consumed: they go to that handler, then to the manager.
 */
final class PreambleScanner extends ChannelInboundHandlerAdapter {
    private final BacklogConnection conn;
    private final Preamble.Matcher matcher = new Preamble.Matcher();

    PreambleScanner(BacklogConnection conn) {
        this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (conn.isOver() || !matcher.scan(in)) {
            in.release();
            return;
        }
        conn.enter(BacklogState.PREAMBLE_SEND);
        ctx.writeAndFlush(Preamble.buffer()).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                conn.enter(BacklogState.DONE);
            } else {
                conn.fail("sending the preamble failed: " + Causes.describe(f.cause()), false);
            }
        });
        ctx.pipeline().replace(this, "ready", new ReadyBacklogHandler(conn, conn.pool()));
        if (in.isReadable()) {
            ctx.fireChannelRead(in); // a removed context still passes on to the handler that took its place
        } else {
            in.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        conn.fail(Causes.describe(cause), false);
    }
}
