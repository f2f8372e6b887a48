package org.packetlab.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Cuts a PacketLab byte stream into whole messages: each output is a retained slice holding one
 * header and its body (spec/wire-protocol.md §3.1). Stateful: one instance per channel.
 *
 * <pre>
 *   | type u8 | len u24 | body (len) |   -&gt;  one ByteBuf per message
 * </pre>
 *
 * <p>A header announcing more than {@code maxBody} bytes fires a {@link FrameTooLongException} as
 * soon as its 4 bytes are in, before anything is buffered for the body; the decoder then discards
 * all further input, and the session handler closes. A stream that ends inside a message fires a
 * {@link TruncatedFrameException}. Only bytes that arrived are ever buffered.
 */
public final class PacketLabFrameDecoder extends ByteToMessageDecoder {

    /** Smallest input always kept by reference rather than copied into the cumulation. */
    static final int SHARE_MIN = 4096;
    /** Parts a cumulation may have before smaller inputs are copied into it again. */
    static final int MAX_PARTS = 64;

    /**
     * A bulk message (a 64 KiB ndata) arrives in several decrypted chunks: they are kept as parts of
     * a composite instead of being copied into a growing buffer (the codec copies the body out once).
     * Inputs under {@link #SHARE_MIN} are copied while the cumulation is one buffer or has
     * {@link #MAX_PARTS} parts, so a peer sending tiny records cannot pile up a part per byte.
     */
    private static final Cumulator CUMULATOR = (alloc, cumulation, in) -> {
        boolean share = in.readableBytes() >= SHARE_MIN
                || cumulation instanceof CompositeByteBuf c && c.numComponents() < MAX_PARTS;
        return (share ? COMPOSITE_CUMULATOR : MERGE_CUMULATOR).cumulate(alloc, cumulation, in);
    };

    private final int maxBody;
    private boolean failed;

    /** A decoder refusing bodies longer than {@code maxBody} bytes (at most {@link WireCodec#MAX_BODY}). */
    public PacketLabFrameDecoder(int maxBody) {
        if (maxBody < 0 || maxBody > WireCodec.MAX_BODY) {
            throw new IllegalArgumentException("maxBody " + maxBody + " is not in 0.." + WireCodec.MAX_BODY);
        }
        this.maxBody = maxBody;
        setCumulator(CUMULATOR);
    }

    /** The configured maximum body length. */
    public int maxBody() {
        return maxBody;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < WireCodec.HEADER_LENGTH) {
            return;
        }
        int len = in.getUnsignedMedium(in.readerIndex() + 1);
        if (len > maxBody) {
            failed = true;
            in.skipBytes(in.readableBytes());
            // fired, not thrown: ByteToMessageDecoder would wrap it in a DecoderException
            ctx.fireExceptionCaught(new FrameTooLongException(len, maxBody));
            return;
        }
        if (in.readableBytes() >= WireCodec.HEADER_LENGTH + len) {
            out.add(in.readRetainedSlice(WireCodec.HEADER_LENGTH + len));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // decode() has already taken every whole message: what is left is an incomplete one
        if (!failed && in.isReadable()) {
            int n = in.readableBytes();
            in.skipBytes(n);
            ctx.fireExceptionCaught(new TruncatedFrameException("input ends inside a message (" + n + " bytes of it present)"));
        }
    }
}
