package org.packetlab.endpoint;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.packetlab.wire.Suspd;

/**
 * What an {@link Endpoint} has running: its control connections (with their sessions), the
 * outcomes not yet known, and a count of live measurement channels, so that closing the endpoint
 * can end everything and a test can prove nothing leaked. Thread-safe.
 */
final class Registry {
    /** The session of a control channel, once its handshake is done. */
    static final AttributeKey<Session> SESSION = AttributeKey.valueOf(Registry.class, "session");

    private final AtomicInteger measurementChannels = new AtomicInteger();
    private final Set<Channel> controls = ConcurrentHashMap.newKeySet();
    private final Set<CompletableFuture<SessionOutcome>> outcomes = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Counts a measurement channel until it closes. */
    void trackMeasurement(Channel ch) {
        measurementChannels.incrementAndGet();
        ch.closeFuture().addListener(f -> measurementChannels.decrementAndGet());
    }

    /** Remembers a control channel until it closes; one made while the endpoint closes is closed at once. */
    void trackControl(Channel ch) {
        if (closed) {
            ch.close();
            return;
        }
        controls.add(ch);
        ch.closeFuture().addListener(f -> controls.remove(ch));
    }

    /** Remembers an outcome until it completes. */
    void trackOutcome(CompletableFuture<SessionOutcome> outcome) {
        outcomes.add(outcome);
        outcome.whenComplete((o, e) -> outcomes.remove(outcome));
    }

    /** Measurement channels not yet closed. */
    int openMeasurementChannels() {
        return measurementChannels.get();
    }

    /** Sessions whose outcome is not known yet (connecting, in setup, or running). */
    int activeSessions() {
        // an outcome leaves the set in a completion callback that may run after other dependents
        return (int) outcomes.stream().filter(o -> !o.isDone()).count();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Suspends the session whose outcome is {@code outcome} (spec/agents.md §C.4): {@code suspd}, then
     * the connection closes and the outcome is {@link SessionOutcome.Suspended}. Returns false when
     * that session is not set up (yet): still connecting or in its TLS handshake.
     */
    boolean suspend(CompletableFuture<SessionOutcome> outcome) {
        for (Channel ch : controls) {
            Session s = ch.attr(SESSION).get();
            if (s != null && s.hasOutcome(outcome)) {
                ch.eventLoop().execute(() -> s.endWith(new Suspd(), new SessionOutcome.Suspended()));
                return true;
            }
        }
        return false;
    }

    /** Ends every session (on its own event loop) and returns the outcomes still pending. */
    List<CompletableFuture<SessionOutcome>> closeAll() {
        closed = true;
        for (Channel ch : controls) {
            ch.eventLoop().execute(() -> {
                Session s = ch.attr(SESSION).get();
                if (s != null) {
                    s.end(new SessionOutcome.EndpointClosed());
                } else {
                    ch.close();
                }
            });
        }
        return List.copyOf(outcomes);
    }
}
