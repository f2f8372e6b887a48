package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Holds a registered backlog connection until an endpoint uses it: its first bytes (the start of
 * the endpoint's ClientHello) hand the connection to the manager. The connection's close is
 * reported by the {@link BacklogPool}.
 */
final class ReadyBacklogHandler extends ChannelInboundHandlerAdapter {
    private final BacklogConnection conn;

    ReadyBacklogHandler(BacklogConnection conn) {
        this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        conn.handOff((ByteBuf) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        conn.fail(Causes.describe(cause), false);
    }
}
