package org.packetlab.wire;

import io.netty.buffer.Unpooled;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads PacketLab messages from a blocking byte stream, one at a time (spec/wire-protocol.md §3.2),
 * for code without a Netty pipeline (an external mlet on its fd 0, a command-line tool).
 *
 * <p>Unlike the reference reader, a header announcing more than {@code maxBody} bytes fails at once,
 * and the body buffer grows only with the bytes that actually arrive.
 *
 * <h2>Not thread-safe</h2> One reader per stream, used by one thread at a time.
 */
public final class MessageReader implements Closeable {

    private final InputStream in;
    private final int maxBody;
    private long offset;

    /** A reader of {@code in} refusing bodies longer than {@code maxBody} bytes (at most {@link WireCodec#MAX_BODY}). */
    public MessageReader(InputStream in, int maxBody) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxBody < 0 || maxBody > WireCodec.MAX_BODY) {
            throw new IllegalArgumentException("maxBody " + maxBody + " is not in 0.." + WireCodec.MAX_BODY);
        }
        this.maxBody = maxBody;
    }

    /**
     * The next message, or null when the stream ends cleanly between two messages.
     *
     * @throws TruncatedFrameException when the stream ends inside a message
     * @throws FrameTooLongException   when a header announces a body over the maximum
     * @throws IOException             when reading fails
     */
    public Message read() throws IOException {
        byte[] header = in.readNBytes(WireCodec.HEADER_LENGTH);
        if (header.length == 0) {
            return null;
        }
        if (header.length < WireCodec.HEADER_LENGTH) {
            throw new TruncatedFrameException("stream ends inside a message header at offset " + offset
                    + " (" + header.length + " of 4 bytes)");
        }
        int len = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        if (len > maxBody) {
            throw new FrameTooLongException(len, maxBody);
        }
        // readNBytes grows its buffer as bytes arrive instead of trusting len
        byte[] body = in.readNBytes(len);
        if (body.length < len) {
            throw new TruncatedFrameException("stream ends inside a " + MessageType.nameOf(header[0] & 0xFF)
                    + " message at offset " + offset + " (" + body.length + " of " + len + " body bytes)");
        }
        offset += WireCodec.HEADER_LENGTH + len;
        return WireCodec.decodeFrame(Unpooled.wrappedBuffer(header, body));
    }

    /** Bytes consumed so far: the offset of the next message in the stream. */
    public long offset() {
        return offset;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
