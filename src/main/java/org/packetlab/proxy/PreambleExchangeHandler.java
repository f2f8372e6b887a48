package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw part of a registration (spec/agents.md §A.8 2.5): sends the proxy's 6-byte
 * {@code PKTLAB} right away, reads exactly 6 bytes from the manager, which must be {@code PKTLAB},
 * and then makes the connection an idle backlog connection. Anything else closes it.
 */
final class PreambleExchangeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PreambleExchangeHandler.class);

    private final BacklogRegistry.Registration registration;
    private final BacklogRegistry registry;
    private final PendingSlot slot;
    private final RegistrationDeadline deadline;
    private final ProxyCounters counters;
    private int matched;
    private boolean sent;
    private boolean over;

    PreambleExchangeHandler(BacklogRegistry.Registration registration, BacklogRegistry registry, PendingSlot slot,
            RegistrationDeadline deadline, ProxyCounters counters) {
        this.registration = registration;
        this.registry = registry;
        this.slot = slot;
        this.deadline = deadline;
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline.phase("the manager's preamble");
    }

    /** Sends the proxy's preamble; called once the TLS handler is out of the pipeline, so it leaves raw. */
    void sendPreamble(ChannelHandlerContext ctx) {
        if (over) {
            return;
        }
        sent = true;
        ctx.writeAndFlush(Preamble.buffer()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        registerIfDone(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (over || !(msg instanceof ByteBuf in)) {
                return;
            }
            while (in.isReadable()) {
                if (matched == Preamble.LENGTH) {
                    refuse(ctx, "sent data after its preamble: " + ByteBufUtil.hexDump(in, in.readerIndex(), Math.min(16, in.readableBytes())));
                    return;
                }
                byte b = in.readByte();
                if (b != Preamble.BYTES[matched]) {
                    refuse(ctx, String.format("sent byte 0x%02x at preamble offset %d", b & 0xff, matched));
                    return;
                }
                matched++;
            }
            registerIfDone(ctx);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void registerIfDone(ChannelHandlerContext ctx) {
        if (!sent || matched < Preamble.LENGTH || over) {
            return;
        }
        over = true;
        deadline.met();
        slot.release();
        counters.registered.increment();
        ctx.pipeline().replace(this, "idle", new IdleBacklogHandler());
        registry.markIdle(registration);
        log.debug("manager {} registered a backlog connection for snikey {}", ctx.channel().remoteAddress(), registration.snikey());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!over) {
            over = true;
            counters.registrationsRefused.increment();
            log.debug("manager {} went away during the preamble exchange", ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refuse(ctx, Causes.describe(cause));
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (over) {
            return;
        }
        over = true;
        counters.registrationsRefused.increment();
        log.info("refused manager {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
