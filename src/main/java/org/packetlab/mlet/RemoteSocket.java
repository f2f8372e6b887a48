package org.packetlab.mlet;

import io.netty.util.Timeout;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.packetlab.wire.Family;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Proto;

/**
 * One socket of a session on the mlet side: the queue of its notifications ({@code ndata},
 * {@code nblock}, {@code nstat} events) between the event loop that delivers them and the mlet
 * thread that reads them. The queue is bounded by bytes: past the limit the socket's data is
 * dropped and its next read fails, naming the limit.
 */
abstract sealed class RemoteSocket permits RealTcpSocket, RealUdpSocket {

    /** What one queued notification costs beyond its payload. */
    static final int EVENT_OVERHEAD = 64;

    final RealEndpointSession session;
    final int sktid;
    final Family family;
    final Proto proto;

    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Notification> events = new ArrayDeque<>();
    private long queuedBytes;
    private String overflow;
    private volatile boolean closed;

    RemoteSocket(RealEndpointSession session, int sktid, Family family, Proto proto, long limit) {
        this.session = session;
        this.sktid = sktid;
        this.family = family;
        this.proto = proto;
        this.limit = limit;
    }

    /** Queues a notification for the reader (event loop; never blocks). */
    final void deliver(Notification n) {
        int cost = cost(n);
        lock.lock();
        try {
            if (overflow != null) {
                return;
            }
            if (queuedBytes + cost > limit) {
                overflow = "more than " + limit + " bytes arrived on sktid " + sktid
                        + " without being read; its data was dropped (read sooner, or raise the socket queue limit)";
                events.clear();
                queuedBytes = 0;
            } else {
                events.add(n);
                queuedBytes += cost;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter so it sees a change of state (the session ended, the connection is up). */
    final void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next notification, waiting up to {@code timeout}. */
    final Notification take(Duration timeout, String what) throws IOException {
        return await(timeout, what, true);
    }

    /**
     * Waits up to {@code timeout} until {@link #ready()} holds (when {@code take} is false) or a
     * notification is queued (when it is true, returning it). While {@link #needsPoll()} holds, the
     * socket's state is polled in vmem, with growing intervals, because the endpoint reports failed
     * TCP connects only there (spec/wire-protocol.md §8.2).
     */
    final Notification await(Duration timeout, String what, boolean take) throws IOException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pollInterval = TimeUnit.MILLISECONDS.toNanos(50);
        long nextPoll = start + pollInterval;
        while (true) {
            lock.lock();
            try {
                while (true) {
                    if (!take && ready()) {
                        return null;
                    }
                    if (overflow != null) {
                        throw new IOException(overflow);
                    }
                    if (take && !events.isEmpty()) {
                        Notification n = events.poll();
                        queuedBytes -= cost(n);
                        return n;
                    }
                    if (closed) {
                        throw new IOException("sktid " + sktid + " was closed while waiting for " + what);
                    }
                    session.checkOpen();
                    long now = System.nanoTime();
                    if (now - deadline >= 0) {
                        throw new SocketTimeoutException("no " + what + " on sktid " + sktid + " within " + timeout);
                    }
                    boolean poll = needsPoll();
                    if (poll && now - nextPoll >= 0) {
                        break;
                    }
                    long wait = poll ? Math.min(deadline - now, nextPoll - now) : deadline - now;
                    // woken by the session's deadline timer rather than a timed park (see EndpointSessions#deadlines)
                    Timeout alarm = session.arm(wait, this::wake);
                    try {
                        changed.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        InterruptedIOException x = new InterruptedIOException("interrupted while waiting for " + what + " on sktid " + sktid);
                        x.initCause(e);
                        throw x;
                    } finally {
                        alarm.cancel();
                    }
                }
            } finally {
                lock.unlock();
            }
            pollState();
            pollInterval = Math.min(pollInterval * 2, TimeUnit.SECONDS.toNanos(1));
            nextPoll = System.nanoTime() + pollInterval;
        }
    }

    /** The condition {@link #await} waits for when not taking a notification. */
    boolean ready() {
        return false;
    }

    /** Whether the socket's state must be polled while waiting. */
    boolean needsPoll() {
        return false;
    }

    /** Polls the socket's state in vmem (only called while {@link #needsPoll()}). */
    void pollState() throws IOException {
    }

    /** Whether the mlet closed this socket. */
    final boolean isClosed() {
        return closed;
    }

    /** Marks the socket closed (its id may be reused once the endpoint confirmed). */
    final void markClosed() {
        closed = true;
        lock.lock();
        try {
            events.clear();
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    final void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("sktid " + sktid + " is closed");
        }
    }

    private static int cost(Notification n) {
        return n instanceof Ndata d ? EVENT_OVERHEAD + d.dataLength() : EVENT_OVERHEAD;
    }
}
