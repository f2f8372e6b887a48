package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Holds a registered backlog connection until an endpoint uses it: its first bytes (the start of
 * the endpoint's ClientHello) hand the connection to the manager. While the pool does not greet
 * ({@link BacklogPool#greet}) the connection is not read, and bytes that arrived anyway are kept
 * for the hand-over when greeting resumes. The connection's close is reported by the
 * {@link BacklogPool}.
 */
final class ReadyBacklogHandler extends ChannelInboundHandlerAdapter {
    private final BacklogConnection conn;
    private final BacklogPool pool;
    private CompositeByteBuf held;

    ReadyBacklogHandler(BacklogConnection conn, BacklogPool pool) {
        this.conn = conn;
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        pool.becameReady(ctx.channel());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (held == null) {
            held = ctx.alloc().compositeBuffer();
        }
        held.addComponent(true, in);
        if (pool.isGreeting()) {
            handOff();
        }
    }

    /** Greeting resumed: hands over what arrived meanwhile, if anything did. */
    void greetingResumed() {
        if (held != null) {
            handOff();
        }
    }

    private void handOff() {
        ByteBuf first = held;
        held = null;
        conn.handOff(first);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        conn.fail(Causes.describe(cause), false);
    }
}
