package org.packetlab.manager;

import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;

/**
 * Observes a run as it happens, for live tables and progress lines. Callbacks come in pairs linked
 * by their first argument:
 *
 * <pre>
 *   endpointConnected(ep) ── endpointRefused(ep, result)        TLS, programs, start or host id failed
 *                         └─ sessionStarted(ep, hostId) ── mletFinished(ep, result)   OK or MLET_FAILED
 *                                                       └─ sessionFailed(ep, result)  SESSION_FAILED or CANCELLED
 *   runFinished(results)                                        once, after every pair is closed
 * </pre>
 *
 * <h2>Threads</h2>
 * Callbacks run on the manager's event loops and on mlet threads, possibly concurrently for
 * different endpoints: they must be thread-safe and must not block. An exception thrown by a
 * callback is logged and does not disturb the run.
 *
 * @param <T> the type of the mlet's value
 */
public interface RunListener<T> {

    /** The manager accepted a TCP connection from an endpoint. */
    default void endpointConnected(EndpointRef endpoint) {}

    /** The connection ended without becoming a session: status REFUSED, SKIPPED or CANCELLED. */
    default void endpointRefused(EndpointRef endpoint, EndpointResult<? extends T> result) {}

    /** The endpoint accepted {@code start}, its host id matched, and the mlet is about to run. */
    default void sessionStarted(EndpointRef endpoint, String hostId) {}

    /** The mlet returned (OK) or threw (MLET_FAILED). */
    default void mletFinished(EndpointRef endpoint, EndpointResult<? extends T> result) {}

    /** The session was lost before the mlet was done (SESSION_FAILED) or the run was cancelled (CANCELLED). */
    default void sessionFailed(EndpointRef endpoint, EndpointResult<? extends T> result) {}

    /** Something about the run as a whole, such as its proxy going away or coming back (also in {@link Run#notices()}). */
    default void notice(String text) {}

    /** The run is over; {@code results} is what {@link Run#await()} returns. */
    default void runFinished(Results<? extends T> results) {}

    /** A listener that does nothing. */
    static <T> RunListener<T> none() {
        return new RunListener<>() {};
    }
}
