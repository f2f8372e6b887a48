package org.packetlab.lab;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * The body of {@code /bytes/N}: N bytes of {@link #byteAt} content, produced chunk by chunk as
 * the connection drains, each chunk a slice of one shared pattern buffer (no copy, nothing
 * held for N).
 */
final class BulkBody implements ChunkedInput<ByteBuf> {

    static final int CHUNK = 64 * 1024;
    private static final int PERIOD = 26;

    private final ByteBuf pattern;
    private final long length;
    private long offset;

    /** @param pattern a buffer from {@link #newPattern()}, owned by the caller */
    BulkBody(ByteBuf pattern, long length) {
        this.pattern = pattern;
        this.length = length;
    }

    /** The byte at {@code offset} of every bulk body: a to z, over and over. */
    static byte byteAt(long offset) {
        return (byte) ('a' + offset % PERIOD);
    }

    /** A direct buffer holding every chunk at every phase of the pattern; release it when done. */
    static ByteBuf newPattern() {
        byte[] bytes = new byte[CHUNK + PERIOD];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = byteAt(i);
        }
        return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @Override
    public boolean isEndOfInput() {
        return offset >= length;
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int n = (int) Math.min(CHUNK, length - offset);
        ByteBuf chunk = pattern.retainedSlice((int) (offset % PERIOD), n);
        offset += n;
        return chunk;
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public void close() {
        // holds nothing of its own: the pattern belongs to the target
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return offset;
    }
}
