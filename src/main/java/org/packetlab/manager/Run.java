package org.packetlab.manager;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.packetlab.results.Results;

/**
 * One run of an mlet on a {@link Manager}: endpoints are accepted until the manager's attempt count
 * is reached or the run is stopped, each set-up session runs the mlet, and the run is over when
 * every session has ended. One-shot: a run is never restarted.
 *
 * @param <T> the type of the mlet's value
 */
public interface Run<T> {

    /** Waits until the run is over and returns its results. */
    Results<T> await() throws InterruptedException;

    /** Waits at most {@code timeout}; empty when the run is not over by then (it goes on). */
    Optional<Results<T>> await(Duration timeout) throws InterruptedException;

    /** The results so far (endpoints done with), in the order they finished. */
    Results<T> results();

    /** Whether the run is over. */
    boolean isDone();

    /** Completes with the results when the run is over. */
    CompletionStage<Results<T>> completion();

    /**
     * Stops accepting endpoints and closes connections still in set-up; running mlets go on, and
     * the run is over when the last one ends. Idempotent.
     */
    void stop();

    /** {@link #stop()}, then {@link #cancel()} whatever still runs after {@code grace}. */
    void stop(Duration grace);

    /**
     * Stops accepting, interrupts the running mlets' threads and closes every session at once: those
     * sessions are recorded as CANCELLED and the run is over. Idempotent.
     */
    void cancel();

    /** How the run's publication through a broker stands; empty when the manager does not publish. */
    default Optional<PublicationStatus> publication() {
        return Optional.empty();
    }

    /** What the manager said about the run as a whole so far (the proxy went away, came back), oldest first. */
    default List<String> notices() {
        return List.of();
    }
}
