package org.packetlab.lab;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageCodec;
import java.net.InetSocketAddress;
import java.util.List;
import org.packetlab.dns.DnsFormatException;
import org.packetlab.dns.DnsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datagrams to DNS messages and back. A datagram that does not decode becomes an
 * {@link Undecodable} value carrying its header words; one too short to hold a header has no
 * id to answer to and is dropped here.
 */
@Sharable
final class DnsDatagramCodec extends MessageToMessageCodec<DatagramPacket, DnsDatagramCodec.Reply> {

    static final DnsDatagramCodec INSTANCE = new DnsDatagramCodec();

    private static final Logger log = LoggerFactory.getLogger(DnsDatagramCodec.class);
    private static final int HEADER = 12;

    /** What arrived from a peer. */
    sealed interface Inbound permits Query, Undecodable {
        InetSocketAddress sender();
    }

    record Query(InetSocketAddress sender, DnsMessage message) implements Inbound {}

    /** A datagram with a header but a malformed rest: {@code id} and {@code flags} are its first two words. */
    record Undecodable(InetSocketAddress sender, int id, int flags, DnsFormatException cause) implements Inbound {}

    record Reply(InetSocketAddress recipient, DnsMessage message) {}

    private DnsDatagramCodec() {}

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        if (content.readableBytes() < HEADER) {
            log.debug("{} sent {} bytes, too short for a DNS header: dropped", packet.sender(), content.readableBytes());
            return;
        }
        try {
            out.add(new Query(packet.sender(), DnsMessage.decode(ByteBufUtil.getBytes(content))));
        } catch (DnsFormatException e) {
            int at = content.readerIndex();
            out.add(new Undecodable(packet.sender(), content.getUnsignedShort(at), content.getUnsignedShort(at + 2), e));
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply reply, List<Object> out) {
        out.add(new DatagramPacket(Unpooled.wrappedBuffer(reply.message().encode()), reply.recipient()));
    }
}
