package org.packetlab.manager;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.PacketLabCodec;

/**
 * The pipeline of one accepted endpoint connection, top to bottom: TLS with the identity chosen by
 * SNI, flush consolidation (messages written in a burst leave as few TLS records), PacketLab
 * framing with an explicit maximum and the message codec, then the set-up handler, which later
 * replaces itself with the session handler.
 */
final class ManagerInitializer extends ChannelInitializer<SocketChannel> {

    private final PpksTls.Server tls;
    private final SetupPlan plan;
    private final int maxFrameBody;

    ManagerInitializer(PpksTls.Server tls, SetupPlan plan, int maxFrameBody) {
        this.tls = tls;
        this.plan = plan;
        this.maxFrameBody = maxFrameBody;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        EndpointConnection<?> conn = ch.attr(AcceptGate.CONNECTION).getAndSet(null);
        ChannelPipeline p = ch.pipeline();
        p.addLast("tls", tls.newHandler());
        p.addLast("flush", new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        PacketLabCodec.addTo(p, maxFrameBody);
        p.addLast("setup", new SetupHandler(conn, plan));
    }
}
