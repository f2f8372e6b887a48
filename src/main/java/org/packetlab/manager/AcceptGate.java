package org.packetlab.manager;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening channel, before Netty's acceptor: admits each accepted connection into the
 * current run (attempt accounting, spec/agents.md §A.5) and tags it with its
 * {@link EndpointConnection}. The listener reads only while the run has a free slot
 * ({@link ListenGreeter}); a connection accepted in a race with the last slot is closed.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptGate.class);

    static final AttributeKey<EndpointConnection<?>> CONNECTION = AttributeKey.valueOf(AcceptGate.class, "connection");

    private final Manager manager;

    AcceptGate(Manager manager) {
        this.manager = manager;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        EndpointConnection<?> conn = manager.admit(child);
        if (conn == null) {
            log.info("closing connection from {}: not accepting endpoints now", child.remoteAddress());
            child.unsafe().closeForcibly();
            return;
        }
        child.attr(CONNECTION).set(conn);
        ctx.fireChannelRead(child);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // accept failures (e.g. too many open files) are transient for a listening socket: log, keep listening
        log.warn("accepting an endpoint failed: {}", Failures.describe(cause));
    }
}
