package org.packetlab.endpoint;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Message;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One experiment session after the TLS handshake: the state a controller works on (limits, the
 * BufMax account, the socket table, vmem), the outgoing queue, and how the session ends. It lives
 * on the control channel's event loop, which also serves every measurement socket of the session,
 * so nothing here is locked. The outcome completes once the control connection is closed and
 * every socket of the session is closed.
 */
final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final Channel control;
    private final String peer;
    private final SessionSettings settings;
    private final SessionLimits limits;
    private final BufferBudget budget;
    private final ControlWriter writer;
    private final SocketTable sockets;
    private final SessionVmem vmem;
    private final CompletableFuture<SessionOutcome> outcome;
    private SessionOutcome ending;
    private ScheduledFuture<?> expiry;

    Session(Channel control, String peer, SessionSettings settings, SessionLimits limits, CompletableFuture<SessionOutcome> outcome) {
        this.control = control;
        this.peer = peer;
        this.settings = settings;
        this.limits = limits;
        this.budget = new BufferBudget(settings.params().bufMax());
        this.writer = new ControlWriter(control, settings.maxQueued());
        this.sockets = new SocketTable(this);
        this.vmem = new SessionVmem(this);
        this.outcome = outcome;
        control.attr(Registry.SESSION).set(this);
    }

    SessionSettings settings() {
        return settings;
    }

    SessionLimits limits() {
        return limits;
    }

    BufferBudget budget() {
        return budget;
    }

    ControlWriter writer() {
        return writer;
    }

    SocketTable sockets() {
        return sockets;
    }

    SessionVmem vmem() {
        return vmem;
    }

    Logger log() {
        return log;
    }

    String peer() {
        return peer;
    }

    /** Pktlab time now, from the endpoint's clock. */
    long now() {
        return settings.clock().getAsLong();
    }

    /**
     * Registers a measurement channel on this session's event loop; we are on that loop, so
     * registration completes before this returns and the socket's bind can be answered at once.
     */
    Status register(Channel ch) {
        ChannelFuture f = control.eventLoop().register(ch);
        if (!f.isDone() || !f.isSuccess()) {
            log.warn("controller {}: measurement socket not registered: {}", peer, f.isDone() ? f.cause() : "registration pending");
            ch.close();
            return Status.EUNKFAULT;
        }
        settings.registry().trackMeasurement(ch);
        return Status.SUCCESS;
    }

    /** The setup phase ended with a successful {@code start}: the experiment runs until its end time. */
    void started() {
        long end = limits.endTime();
        if (end == PktlabTime.MAX) {
            return;
        }
        long now = now();
        long delay = Long.compareUnsigned(end, now) <= 0 ? 0 : end - now;
        if (Long.compareUnsigned(delay, TimeUnit.DAYS.toNanos(3650)) > 0) {
            return; // beyond any session's life: no timer that could overflow
        }
        expiry = control.eventLoop().schedule(() -> end(new SessionOutcome.Expired()), delay, TimeUnit.NANOSECONDS);
    }

    /** Sends ECTLBADMSG and closes: the controller sent something that does not decode. */
    void badMessage(String reason) {
        log.warn("controller {}: malformed message ({}): ECTLBADMSG, closing", peer, reason);
        endWith(Result.of(Status.ECTLBADMSG), new SessionOutcome.ProtocolViolation(reason));
    }

    /** Whether {@code o} is this session's outcome. */
    boolean hasOutcome(CompletableFuture<SessionOutcome> o) {
        return outcome == o;
    }

    /** Sends {@code last}, then ends the session with {@code why}. */
    void endWith(Message last, SessionOutcome why) {
        if (ending != null) {
            return;
        }
        ending = why;
        writer.sendAndClose(last);
        release();
    }

    /** Ends the session with {@code why}: sockets closed, connection closed (close_notify, then TCP close). */
    void end(SessionOutcome why) {
        if (ending != null) {
            return;
        }
        ending = why;
        writer.close();
        release();
    }

    /** The control connection failed: the outcome, unless one was already chosen. */
    void connectionFailed(Throwable cause) {
        end(new SessionOutcome.ConnectionFailed(MeasurementSocket.describe(cause)));
    }

    private void release() {
        if (expiry != null) {
            expiry.cancel(false);
        }
        sockets.closeAll();
    }

    /**
     * The control connection is closed (the pipeline saw it go inactive, after any failure it
     * reported): the outcome is final now. Without an earlier reason the controller closed it.
     */
    void closed() {
        if (ending == null) {
            ending = new SessionOutcome.ControllerClosed();
            release();
        }
        log.info("controller {}: session end: {}", peer, ending.describe());
        outcome.complete(ending);
    }

    /** Whether the session is ending (no more requests are served). */
    boolean isEnding() {
        return ending != null;
    }
}
