package org.packetlab.mlet;

import java.net.InetSocketAddress;
import org.packetlab.wire.Message;

/**
 * How a running endpoint session is reached: the outbound half of the session seam between the
 * experiment manager and whatever serves the session (a Java mlet or an external mlet relay).
 *
 * <p>The manager implements it over its Netty channel once {@code cdata} and {@code start} are
 * done; the {@code mlet} package writes requests through it and never touches a channel or a
 * buffer. Its inbound twin is {@link SessionSink}.
 */
public interface SessionTransport {

    /**
     * Sends one message to the endpoint and flushes it. Thread-safe and non-blocking; messages
     * sent from one thread reach the endpoint in the order sent. After {@link #close()} or after
     * the session is lost the message is dropped (the loss is reported through
     * {@link SessionSink#onClosed(Throwable)}).
     */
    void send(Message m);

    /** Ends the session (TLS close_notify, then TCP close). Idempotent. */
    void close();

    /** The endpoint's TCP peer address, which the reference exports to mlets as {@code EPADDR}. */
    InetSocketAddress remoteAddress();
}
