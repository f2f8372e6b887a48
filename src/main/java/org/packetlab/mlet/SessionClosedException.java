package org.packetlab.mlet;

import java.io.IOException;

/**
 * The endpoint session has ended (the endpoint or the network closed it, or it broke the protocol),
 * so nothing more can be asked of the endpoint. Requests still unanswered at that moment may or
 * may not have been carried out; sockets on the endpoint are gone.
 */
public class SessionClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The session ended for the reason in {@code message}; {@code cause} may be null. */
    public SessionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
