package org.packetlab.endpoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Message;

/**
 * The outgoing FIFO to the controller: responses and notifications in generation order, each
 * written as one message (the codec makes it one buffer; a TCP ndata comes already encoded). It
 * applies the back-pressure of spec/agents.md §C.7: while {@code maxQueued} or more messages are not
 * yet written out, or the channel is not writable, requests are no longer read. Confined to the
 * session's event loop.
 */
final class ControlWriter {
    /** How long a last message may take to leave before the connection is closed anyway. */
    static final long LINGER_SECONDS = 5;

    private final Channel channel;
    private final int maxQueued;
    private int queued;
    private boolean closed;
    private final ChannelFutureListener written = f -> {
        queued--;
        updateReading();
    };

    ControlWriter(Channel channel, int maxQueued) {
        this.channel = channel;
        this.maxQueued = maxQueued;
    }

    /** Queues {@code m} for the controller. */
    void send(Message m) {
        if (closed) {
            return;
        }
        queued++;
        channel.writeAndFlush(m).addListener(written);
        updateReading();
    }

    /** Queues {@code m} and runs {@code onWritten} once it has left (or can no longer leave): releases its buffer charge. */
    void send(Message m, Runnable onWritten) {
        if (closed) {
            onWritten.run();
            return;
        }
        write(m, onWritten);
    }

    /**
     * Queues an already encoded message (a TCP ndata in the buffer the socket read) as
     * {@link #send(Message, Runnable)} does; takes ownership of {@code encoded}.
     */
    void send(ByteBuf encoded, Runnable onWritten) {
        if (closed) {
            encoded.release();
            onWritten.run();
            return;
        }
        write(encoded, onWritten);
    }

    private void write(Object msg, Runnable onWritten) {
        queued++;
        channel.writeAndFlush(msg).addListener(f -> {
            queued--;
            onWritten.run();
            updateReading();
        });
        updateReading();
    }

    /**
     * Sends {@code last} and closes the connection once it is written (TLS close_notify, then TCP
     * close), or after {@link #LINGER_SECONDS} when a controller that no longer reads keeps it from
     * being written.
     */
    void sendAndClose(Message last) {
        if (closed) {
            return;
        }
        closed = true;
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes the connection after what is already queued. */
    void close() {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Number of messages handed to the channel and not yet written. */
    int queued() {
        return queued;
    }

    /** Re-evaluates whether requests may be read (called on every queue change and writability change). */
    void updateReading() {
        boolean read = !closed && queued < maxQueued && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }
}
