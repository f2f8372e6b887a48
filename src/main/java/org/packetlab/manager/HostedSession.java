package org.packetlab.manager;

import org.packetlab.mlet.SessionTransport;

/**
 * One set-up endpoint session as an {@link MletHost} sees it: how to reach the endpoint, who it is,
 * and where to report the outcome.
 *
 * @param <T> the type of the value the session produces
 */
interface HostedSession<T> {

    /** The way to the endpoint; closing it ends the session. */
    SessionTransport transport();

    /** The endpoint connection. */
    EndpointRef endpoint();

    /** The host id the endpoint exports. */
    String hostId();

    /** The mlet returned {@code value}. The session is closed afterwards. */
    void finished(T value);

    /** The mlet threw, or could not be started. The session is closed afterwards. */
    void failed(Throwable cause);

    /**
     * What to do when the run cancels this session, besides closing it (e.g. interrupt the mlet's
     * thread). Runs at once when the session is already cancelled.
     */
    void onCancel(Runnable action);
}
