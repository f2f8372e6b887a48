package org.packetlab.wire;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes PacketLab messages to a blocking byte stream: one {@code write} call per message, then a
 * flush, so a message is never split across writes by this class.
 *
 * <h2>Not thread-safe</h2> Callers that write from several threads must serialise the calls.
 */
public final class MessageWriter implements Closeable, Flushable {

    private final OutputStream out;

    public MessageWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Writes and flushes one message. */
    public void write(Message m) throws IOException {
        out.write(WireCodec.encode(m));
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
