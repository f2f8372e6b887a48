package org.packetlab.manager;

import io.netty.channel.Channel;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.packetlab.mlet.SessionSink;
import org.packetlab.mlet.SessionTransport;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted endpoint connection of a run, from accept to its single outcome: refused during
 * set-up, or a session that ends when its mlet does. Reports the outcome to the run exactly once,
 * whoever comes first (set-up handler, session handler, mlet thread, or a cancelling run).
 */
final class EndpointConnection<T> implements HostedSession<T> {
    private static final Logger log = LoggerFactory.getLogger(EndpointConnection.class);

    private final EndpointRef ref;
    private final ManagerRun<T> run;
    private final Channel channel;
    private final AtomicBoolean reported = new AtomicBoolean();

    private volatile String hostId = "";
    private volatile SessionHandler session;
    private volatile String lostReason;
    private volatile Throwable lostCause;

    private Runnable cancelAction; // guarded by this
    private boolean cancelled;     // guarded by this

    EndpointConnection(EndpointRef ref, ManagerRun<T> run, Channel channel) {
        this.ref = ref;
        this.run = run;
        this.channel = channel;
    }

    @Override
    public EndpointRef endpoint() {
        return ref;
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public SessionTransport transport() {
        return session;
    }

    /** Set-up ended without a session (REFUSED, SKIPPED or CANCELLED); closes the connection. */
    void refused(Status status, String reason, Throwable cause) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        if (status == Status.REFUSED) {
            log.info("endpoint {} refused: {}", ref, reason);
        } else {
            log.info("endpoint {} {}: {}", ref, status.label(), reason);
        }
        run.ended(this, EndpointResult.failed(ref.address(), hostId, ref.connectedAt(), Instant.now(), status, reason, cause));
        channel.close();
    }

    /** Records the endpoint's host id (read during set-up). */
    void hostId(String hostId) {
        this.hostId = hostId;
    }

    /**
     * Set-up succeeded: counts the session and hands it to the run's host. Returns the sink for the
     * endpoint's messages, or null when the run no longer takes sessions (the connection is then closed).
     */
    SessionSink startSession(SessionHandler session) {
        this.session = session;
        if (!run.sessionStarting(this)) {
            refused(Status.CANCELLED, "run stopped during set-up", null);
            return null;
        }
        if (reported.get()) {
            return null; // cancelled while starting: the connection is closing
        }
        log.debug("endpoint {} session started, host id \"{}\"", ref, hostId);
        return run.open(this);
    }

    @Override
    public void finished(T value) {
        if (reported.compareAndSet(false, true)) {
            run.ended(this, EndpointResult.ok(ref.address(), hostId, ref.connectedAt(), Instant.now(), value));
        }
        session.close();
    }

    @Override
    public void failed(Throwable cause) {
        if (reported.compareAndSet(false, true)) {
            EndpointResult<T> r;
            if (isCancelled()) {
                r = EndpointResult.failed(ref.address(), hostId, ref.connectedAt(), Instant.now(), Status.CANCELLED, cause);
            } else if (lostReason != null) {
                IOException lost = new IOException("session lost: " + lostReason, lostCause);
                lost.addSuppressed(cause);
                r = EndpointResult.failed(ref.address(), hostId, ref.connectedAt(), Instant.now(), Status.SESSION_FAILED,
                        "session lost: " + lostReason + "; then the mlet failed: " + EndpointResult.describe(cause), lost);
            } else {
                r = EndpointResult.failed(ref.address(), hostId, ref.connectedAt(), Instant.now(), Status.MLET_FAILED, cause);
                log.info("endpoint {} mlet failed: {}", ref, r.error());
            }
            run.ended(this, r);
        }
        session.close();
    }

    /** The session's channel closed; unless we closed it, the session is lost for an mlet still running. */
    void sessionClosed(Throwable cause, boolean closedByUs) {
        if (!closedByUs && !reported.get()) {
            lostCause = cause;
            lostReason = cause == null ? "the endpoint closed the session" : Failures.describe(cause);
            log.info("endpoint {} session lost: {}", ref, lostReason);
        }
    }

    @Override
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                cancelAction = action;
            }
        }
        if (now) {
            action.run();
        }
    }

    private synchronized boolean isCancelled() {
        return cancelled;
    }

    /** The run stops this connection: recorded CANCELLED, a running mlet interrupted, the connection closed. */
    void cancel(String why) {
        Runnable action;
        synchronized (this) {
            cancelled = true;
            action = cancelAction;
        }
        if (reported.compareAndSet(false, true)) {
            log.info("endpoint {} cancelled: {}", ref, why);
            run.ended(this, EndpointResult.failed(ref.address(), hostId, ref.connectedAt(), Instant.now(), Status.CANCELLED, why, null));
        }
        if (action != null) {
            action.run();
        }
        channel.close();
    }
}
