package org.packetlab.manager;

import org.packetlab.mlet.SessionSink;

/**
 * What serves set-up endpoint sessions for a run: a Java mlet on a virtual thread
 * ({@link JavaMletHost}), or an external mlet process behind a relay. The manager hands it each
 * session once {@code start} succeeded and the host id matched.
 *
 * @param <T> the type of the value each session produces
 */
interface MletHost<T> {

    /**
     * Starts serving {@code session} and returns the sink for the endpoint's messages. Called on the
     * session's event loop: must not block. The host reports the end through
     * {@link HostedSession#finished} or {@link HostedSession#failed}, exactly once.
     */
    SessionSink open(HostedSession<T> session);
}
