package org.packetlab.mlet;

import java.time.Duration;
import java.util.Objects;

/**
 * Builds {@link EndpointSession}s over running sessions: what an experiment manager uses to host
 * Java mlets. Immutable and reusable; each method returns a new value.
 *
 * <pre>{@code
 * EndpointSessions sessions = EndpointSessions.defaults().timeout(Duration.ofSeconds(5));
 * // per endpoint, once the endpoint has accepted start:
 * EndpointSessions.Opened opened = sessions.open(transport);
 * channelHandler.feed(opened.sink());          // inbound messages, on the event loop
 * Thread.ofVirtual().start(() -> mlet.run(opened.session()));
 * }</pre>
 */
public final class EndpointSessions {

    /** How long a blocking call waits unless set: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Received bytes one socket may hold unread unless set: 16 MiB. */
    public static final long DEFAULT_SOCKET_QUEUE_LIMIT = 16L << 20;

    private static final EndpointSessions DEFAULTS = new EndpointSessions(DEFAULT_TIMEOUT, DEFAULT_SOCKET_QUEUE_LIMIT);

    private final Duration timeout;
    private final long socketQueueLimit;

    private EndpointSessions(Duration timeout, long socketQueueLimit) {
        this.timeout = timeout;
        this.socketQueueLimit = socketQueueLimit;
    }

    /** A 10-second default timeout and 16 MiB of unread data per socket. */
    public static EndpointSessions defaults() {
        return DEFAULTS;
    }

    /** Sets how long blocking calls wait by default (positive). */
    public EndpointSessions timeout(Duration timeout) {
        return new EndpointSessions(checkTimeout(timeout), socketQueueLimit);
    }

    /**
     * Sets how many received bytes one socket may hold before the mlet reads them (positive). Past
     * it, the socket's data is dropped and its next receive fails, naming the limit.
     */
    public EndpointSessions socketQueueLimit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("socket queue limit " + bytes + " < 1");
        }
        return new EndpointSessions(timeout, bytes);
    }

    /** Starts serving a running session: the session for the mlet, and the sink the transport feeds. */
    public Opened open(SessionTransport transport) {
        RealEndpointSession session = new RealEndpointSession(Objects.requireNonNull(transport, "transport"), timeout,
                socketQueueLimit);
        return new Opened(session, session);
    }

    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " is not positive");
        }
        return timeout;
    }

    /**
     * A session being served: {@link #session()} is what the mlet uses, {@link #sink()} is what the
     * transport feeds every inbound message to.
     */
    public record Opened(EndpointSession session, SessionSink sink) {

        public Opened {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(sink, "sink");
        }
    }
}
