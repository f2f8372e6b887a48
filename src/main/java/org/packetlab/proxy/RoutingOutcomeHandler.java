package org.packetlab.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an endpoint connection that could not be routed (the failed {@link SniCompletionEvent} of the
 * {@link SniRouter}: no or unknown SNI, no backlog connection in time, ClientHello timeout, not
 * TLS, ClientHello too long) with one log line; removes itself once the connection is relayed.
 */
final class RoutingOutcomeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RoutingOutcomeHandler.class);

    private final ProxyCounters counters;
    private boolean refused;

    RoutingOutcomeHandler(ProxyCounters counters) {
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent e) {
            if (e.isSuccess()) {
                ctx.pipeline().remove(this);
            } else {
                refuse(ctx, Causes.describe(e.cause()));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // only bytes of a connection being refused get here (the router keeps them otherwise)
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!refused) {
            refused = true;
            counters.endpointsRefused.increment();
            log.debug("endpoint {} went away before it was routed", ctx.channel().remoteAddress());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refuse(ctx, Causes.describe(cause));
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (refused) {
            return;
        }
        refused = true;
        counters.endpointsRefused.increment();
        log.info("closing endpoint connection {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
