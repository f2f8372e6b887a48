package org.packetlab.lab;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.concurrent.atomic.AtomicLong;
import org.packetlab.dns.DnsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each query from the zone and each undecodable query with FORMERR. Datagrams with QR
 * set are never answered, so two responders cannot bounce messages between each other.
 */
final class DnsResponderHandler extends SimpleChannelInboundHandler<DnsDatagramCodec.Inbound> {

    private static final Logger log = LoggerFactory.getLogger(DnsResponderHandler.class);

    private final DnsZone zone;
    private final AtomicLong answered;

    DnsResponderHandler(DnsZone zone, AtomicLong answered) {
        this.zone = zone;
        this.answered = answered;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsDatagramCodec.Inbound msg) {
        DnsMessage reply = switch (msg) {
            case DnsDatagramCodec.Query q -> q.message().isResponse() ? null : zone.answer(q.message());
            case DnsDatagramCodec.Undecodable u -> {
                log.debug("{} sent an undecodable query: {}", u.sender(), u.cause().getMessage());
                yield (u.flags() & DnsMessage.QR) != 0 ? null : DnsZone.formatError(u.id(), u.flags());
            }
        };
        if (reply == null) {
            log.debug("{} sent a response, not a query: dropped", msg.sender());
            return;
        }
        answered.incrementAndGet();
        ctx.writeAndFlush(new DnsDatagramCodec.Reply(msg.sender(), reply)).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("{} answer not sent: {}", msg.sender(), f.cause().toString());
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // one socket serves every peer: log and go on rather than close it
        log.warn("DNS responder {}: {}", ctx.channel().localAddress(), cause.toString());
    }
}
