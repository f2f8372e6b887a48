package org.packetlab.portal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection once its response is written, without destroying that response: half-close
 * (the peer reads the whole answer up to EOF), then drop whatever the peer still sends until it
 * closes, at most {@link #MAX_DISCARD_BYTES} or {@link #LINGER_MILLIS}. Closing at once with unread
 * input would reset the connection, and a browser still uploading an oversized file would show
 * "connection reset" instead of the 413 page.
 */
final class ConnectionEnding extends ChannelInboundHandlerAdapter {
    static final long LINGER_MILLIS = 3000;
    static final long MAX_DISCARD_BYTES = 1024 * 1024;

    private long discarded;

    private ConnectionEnding() {}

    /** Starts ending {@code ch}: call when its last response has been written. */
    static void begin(Channel ch) {
        if (!ch.isActive() || ch.pipeline().get(ConnectionEnding.class) != null) {
            ch.close();
            return;
        }
        ch.pipeline().addFirst("ending", new ConnectionEnding());
        ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        if (ch instanceof DuplexChannel d) {
            d.shutdownOutput();
        } else {
            ch.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b) {
            discarded += b.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (discarded > MAX_DISCARD_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the peer may reset instead of closing: the answer is out, nothing left to report
        ctx.close();
    }
}
