package org.packetlab.mlet;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a TCP connection delivered until the peer closed: the chunks in order with their
 * endpoint receive times, and when the endpoint saw the close.
 *
 * @param chunks   the chunks in arrival order
 * @param closedAt the endpoint time of the peer's close
 */
public record ReceivedStream(List<Received> chunks, Instant closedAt) {

    public ReceivedStream {
        chunks = List.copyOf(chunks);
        Objects.requireNonNull(closedAt, "closedAt");
    }

    /** All bytes, concatenated. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length());
        for (Received r : chunks) {
            out.writeBytes(r.data());
        }
        return out.toByteArray();
    }

    /** Total number of bytes. */
    public int length() {
        return chunks.stream().mapToInt(Received::length).sum();
    }

    /** The endpoint time of the first chunk, or of the close when nothing arrived. */
    public Instant firstTime() {
        return chunks.isEmpty() ? closedAt : chunks.getFirst().time();
    }

    /** The endpoint time of the last chunk (the last byte), or of the close when nothing arrived. */
    public Instant lastTime() {
        return chunks.isEmpty() ? closedAt : chunks.getLast().time();
    }
}
