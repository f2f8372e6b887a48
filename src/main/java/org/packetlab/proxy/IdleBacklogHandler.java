package org.packetlab.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an idle backlog connection until an endpoint takes it: a manager says nothing on it, so
 * any byte is a protocol error and closes it; its EOF closes it too. Closing releases it from the
 * {@link BacklogRegistry}.
 */
final class IdleBacklogHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(IdleBacklogHandler.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        log.info("closing backlog connection from {}: the manager sent data before an endpoint arrived", ctx.channel().remoteAddress());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("closing backlog connection from {}: {}", ctx.channel().remoteAddress(), Causes.describe(cause));
        ctx.close();
    }
}
