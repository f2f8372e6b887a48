package org.packetlab.mlet;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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

    private static final EndpointSessions DEFAULTS =
            new EndpointSessions(DEFAULT_TIMEOUT, DEFAULT_SOCKET_QUEUE_LIMIT, SharedDeadlines::timer);
    /** How late a deadline may fire: fine for call timeouts (a second or more) and the 50 ms socket-state polls. */
    private static final long DEADLINE_TICK_MILLIS = 10;

    private final Duration timeout;
    private final long socketQueueLimit;
    private final Supplier<Timer> deadlines;

    private EndpointSessions(Duration timeout, long socketQueueLimit, Supplier<Timer> deadlines) {
        this.timeout = timeout;
        this.socketQueueLimit = socketQueueLimit;
        this.deadlines = deadlines;
    }

    /** A 10-second default timeout and 16 MiB of unread data per socket. */
    public static EndpointSessions defaults() {
        return DEFAULTS;
    }

    /** Sets how long blocking calls wait by default (positive). */
    public EndpointSessions timeout(Duration timeout) {
        return new EndpointSessions(checkTimeout(timeout), socketQueueLimit, deadlines);
    }

    /**
     * Sets how many received bytes one socket may hold before the mlet reads them (positive). Past
     * it, the socket's data is dropped and its next receive fails, naming the limit.
     */
    public EndpointSessions socketQueueLimit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("socket queue limit " + bytes + " < 1");
        }
        return new EndpointSessions(timeout, bytes, deadlines);
    }

    /**
     * Sets the timer that ends blocking calls at their timeouts (default: one shared by the JVM,
     * started at first use). A manager passes its own, stopped when it closes. A timer wheel
     * rather than timed parks: a virtual thread's timed park goes through the JDK's delay
     * scheduler thread, which measured 12-19 µs of CPU and a wake-up per mread here.
     */
    public EndpointSessions deadlines(Timer timer) {
        Objects.requireNonNull(timer, "timer");
        return new EndpointSessions(timeout, socketQueueLimit, () -> timer);
    }

    /** Starts serving a running session: the session for the mlet, and the sink the transport feeds. */
    public Opened open(SessionTransport transport) {
        RealEndpointSession session = new RealEndpointSession(Objects.requireNonNull(transport, "transport"), timeout,
                socketQueueLimit, deadlines.get());
        return new Opened(session, session);
    }

    /**
     * A new timer for {@link #deadlines(Timer)}: a timer wheel whose thread (from {@code threads},
     * started at the first deadline) ticks every 10 ms; arming and cancelling a deadline never
     * wakes it. Stop it when its sessions are over.
     */
    public static Timer newDeadlines(ThreadFactory threads) {
        return new HashedWheelTimer(Objects.requireNonNull(threads, "threads"), DEADLINE_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The JVM's shared deadline timer, made at first use, for hosts that give none. */
    private static final class SharedDeadlines {
        private static final Timer TIMER = newDeadlines(new DefaultThreadFactory("pktlab-mlet-deadlines", true));

        static Timer timer() {
            return TIMER;
        }
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
