package org.packetlab.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.MessageToMessageCodec;
import java.util.List;

/**
 * Turns whole frames from {@link PacketLabFrameDecoder} into {@link Message}s and messages into
 * bytes. Stateless and shared: use {@link #INSTANCE}. The encoder computes the exact size and
 * allocates once from the channel's allocator, so each message leaves as one buffer (one TLS
 * record when nothing else is pending).
 */
@Sharable
public final class PacketLabCodec extends MessageToMessageCodec<ByteBuf, Message> {

    /** The one instance every pipeline shares. */
    public static final PacketLabCodec INSTANCE = new PacketLabCodec();
    /** Pipeline name of the frame decoder added by {@link #addTo}. */
    public static final String FRAME_HANDLER = "frame";
    /** Pipeline name of the codec added by {@link #addTo}. */
    public static final String CODEC_HANDLER = "codec";

    private PacketLabCodec() {}

    /** Adds a frame decoder with the given maximum body and the shared codec at the end of {@code pipeline}. */
    public static ChannelPipeline addTo(ChannelPipeline pipeline, int maxBody) {
        return pipeline.addLast(FRAME_HANDLER, new PacketLabFrameDecoder(maxBody)).addLast(CODEC_HANDLER, INSTANCE);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) throws EncodeException {
        int n = WireCodec.encodedLength(msg);
        ByteBuf buf = ctx.alloc().ioBuffer(n, n);
        try {
            WireCodec.encode(msg, buf);
            out.add(buf);
            buf = null;
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) throws WireException {
        out.add(WireCodec.decodeFrame(frame));
    }
}
