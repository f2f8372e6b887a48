package org.packetlab.extmlet;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what an mlet process writes on one of its standard streams, up to a limit, counting the
 * rest. Lives on the capture socket's channel; the stream is done when the channel closes.
 */
final class OutputCapture extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OutputCapture.class);

    private final String name;
    private final int limit;
    private final Runnable onDone;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;
    private boolean done;

    /** A capture of the stream {@code name} keeping {@code limit} bytes; {@code onDone} runs once, on the channel's loop. */
    OutputCapture(String name, int limit, Runnable onDone) {
        this.name = name;
        this.limit = limit;
        this.onDone = onDone;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            ByteBuf buf = (ByteBuf) msg;
            int n = buf.readableBytes();
            int keep = (int) Math.min(n, Math.max(0, limit - kept.size()));
            byte[] chunk = new byte[keep];
            buf.readBytes(chunk);
            kept.writeBytes(chunk);
            total += n;
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            onDone.run();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("capture of {} failed: {}", name, cause.toString());
        ctx.close();
    }

    /** Whether the stream has ended (the channel closed). */
    boolean isDone() {
        return done;
    }

    /** What was captured so far. */
    CapturedOutput output() {
        return new CapturedOutput(kept.toByteArray(), total);
    }
}
