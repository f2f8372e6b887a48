package org.packetlab.mlet;

/**
 * The endpoint suspended this experiment ({@code suspd}) to run a higher-priority one and closed
 * the session. The experiment may be resumed later in a new session.
 */
public class SessionSuspendedException extends SessionClosedException {

    private static final long serialVersionUID = 1L;

    /** The session was suspended as described by {@code message}. */
    public SessionSuspendedException(String message) {
        super(message, null);
    }
}
