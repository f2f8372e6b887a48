package org.packetlab.mlet;

import org.packetlab.wire.Message;

/**
 * What the experiment manager feeds a running endpoint session's inbound messages to: the inbound
 * half of the session seam ({@link SessionTransport} is the outbound half).
 *
 * <p>Both methods are called on the manager's event loop and must not block.
 */
public interface SessionSink {

    /**
     * Takes one decoded message from the endpoint: responses ({@code result}, {@code mdata}) and
     * notifications, in arrival order. {@code linfo} is not passed on (the manager logs it).
     */
    void onMessage(Message m);

    /**
     * Reports the end of the session, exactly once and after the last {@link #onMessage}:
     * {@code cause} is {@code null} on a clean end of stream, otherwise what broke the session.
     */
    void onClosed(Throwable cause);
}
