package org.packetlab.manager;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.packetlab.mlet.SessionSink;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.EndpointResult.Status;
import org.packetlab.results.Results;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run on a manager: attempt accounting as in spec/agents.md §A.5, the connections in set-up and
 * the running sessions, the results, and the listener. Thread-safe: it is called from the accept
 * loop, the connections' event loops, mlet threads and the user's thread.
 *
 * <p>Accounting: {@code setups} are accepted connections whose set-up has not finished,
 * {@code started} counts sessions set up. A connection is accepted only while
 * {@code setups + started < limit}; when {@code started} reaches the limit the run accepts no
 * more endpoints and is over once the running sessions end.
 */
final class ManagerRun<T> implements Run<T> {
    private static final Logger log = LoggerFactory.getLogger(ManagerRun.class);

    private final Manager manager;
    private final MletHost<T> host;
    private final RunListener<? super T> listener;
    private final long limit;
    private final CompletableFuture<Results<T>> completion = new CompletableFuture<>();

    // guarded by this
    private final Set<EndpointConnection<T>> setups = new LinkedHashSet<>();
    private final Set<EndpointConnection<T>> sessions = new LinkedHashSet<>();
    private final List<EndpointResult<T>> results = new ArrayList<>();
    private long started;
    private boolean accepting = true;
    private boolean stopping;
    private boolean cancelled;
    private boolean over;
    private Future<?> graceTimer;
    private final List<String> notices = new ArrayList<>();
    private volatile RunPublication publication;

    ManagerRun(Manager manager, MletHost<T> host, RunListener<? super T> listener, long limit) {
        this.manager = manager;
        this.host = host;
        this.listener = listener;
        this.limit = limit;
    }

    /** Publishes the run through a broker; withdrawn when the run is over. Call before {@link #begin()}. */
    void publishWith(RunPublication p) {
        this.publication = p;
    }

    @Override
    public Optional<PublicationStatus> publication() {
        RunPublication p = publication;
        return p == null ? Optional.empty() : Optional.of(p.status());
    }

    /** Opens the accept gate: the run is now the manager's current run. */
    synchronized void begin() {
        gate();
    }

    /**
     * Admits an accepted channel if the attempt count allows it, closing the accept gate when this
     * uses the last slot. Returns the new connection, or null when it is not admitted.
     */
    EndpointConnection<T> admit(Channel child, LongSupplier ids) {
        EndpointConnection<T> conn;
        synchronized (this) {
            if (!acceptingNow()) {
                return null;
            }
            EndpointRef ref = new EndpointRef(ids.getAsLong(), (InetSocketAddress) child.remoteAddress(), Instant.now());
            conn = new EndpointConnection<>(ref, this, child);
            setups.add(conn);
            gate();
        }
        notifyListener(l -> l.endpointConnected(conn.endpoint()));
        return conn;
    }

    /** Set-up done: counts the session, unless the run is stopping (then the caller closes it). */
    boolean sessionStarting(EndpointConnection<T> conn) {
        synchronized (this) {
            if (stopping || !setups.remove(conn)) {
                return false;
            }
            sessions.add(conn);
            started++;
            if (started >= limit && accepting) {
                accepting = false;
                log.info("attempt count {} reached: accepting no more endpoints, waiting for {} running session(s)",
                        limit, sessions.size());
            }
            gate();
        }
        notifyListener(l -> l.sessionStarted(conn.endpoint(), conn.hostId()));
        return true;
    }

    /** Hands a started session to the host; a host that cannot start it makes it an mlet failure. */
    SessionSink open(EndpointConnection<T> conn) {
        try {
            return host.open(conn);
        } catch (RuntimeException e) {
            conn.failed(e);
            return null;
        }
    }

    /** The one outcome of a connection: a refused set-up or an ended session. */
    void ended(EndpointConnection<T> conn, EndpointResult<T> result) {
        boolean nowOver;
        boolean session;
        synchronized (this) {
            session = sessions.remove(conn);
            if (!session) {
                setups.remove(conn);
            }
            results.add(result);
            gate();
            nowOver = checkOver();
        }
        if (session && (result.status() == Status.OK || result.status() == Status.MLET_FAILED)) {
            notifyListener(l -> l.mletFinished(conn.endpoint(), result));
        } else if (session) {
            notifyListener(l -> l.sessionFailed(conn.endpoint(), result));
        } else {
            notifyListener(l -> l.endpointRefused(conn.endpoint(), result));
        }
        if (nowOver) {
            finish();
        }
    }

    @Override
    public void stop() {
        List<EndpointConnection<T>> abandoned;
        boolean nowOver;
        synchronized (this) {
            if (!stopping) {
                log.info("run stopping: accepting no more endpoints, {} running session(s) may finish", sessions.size());
            }
            stopping = true;
            accepting = false;
            gate();
            abandoned = new ArrayList<>(setups);
            nowOver = checkOver();
        }
        abandoned.forEach(c -> c.cancel("run stopped during set-up"));
        if (nowOver) {
            finish();
        }
    }

    @Override
    public void stop(Duration grace) {
        stop();
        synchronized (this) {
            if (!over && graceTimer == null) {
                graceTimer = manager.schedule(this::cancel, grace);
            }
        }
    }

    @Override
    public void cancel() {
        List<EndpointConnection<T>> all;
        boolean nowOver;
        synchronized (this) {
            if (over) {
                return;
            }
            cancelled = true;
            stopping = true;
            accepting = false;
            gate();
            all = new ArrayList<>(setups);
            all.addAll(sessions);
            nowOver = checkOver();
        }
        if (!all.isEmpty()) {
            log.info("run cancelled: closing {} connection(s)", all.size());
        }
        all.forEach(c -> c.cancel("run cancelled"));
        if (nowOver) {
            finish();
        }
    }

    /** Records a notice about the whole run and tells the listener. */
    void notice(String text) {
        synchronized (this) {
            notices.add(text);
        }
        notifyListener(l -> l.notice(text));
    }

    @Override
    public synchronized List<String> notices() {
        return List.copyOf(notices);
    }

    boolean isCancelled() {
        synchronized (this) {
            return cancelled;
        }
    }

    private boolean acceptingNow() {
        return accepting && !stopping && setups.size() + started < limit;
    }

    private void gate() {
        manager.acceptGate(this, acceptingNow());
    }

    private boolean checkOver() {
        if (!over && (!accepting || stopping) && setups.isEmpty() && sessions.isEmpty()) {
            over = true;
            if (graceTimer != null) {
                graceTimer.cancel(false);
            }
            return true;
        }
        return false;
    }

    private void finish() {
        Results<T> r;
        synchronized (this) {
            r = Results.of(results);
        }
        manager.runEnded(this);
        log.info("run over: {}", r.summary());
        RunPublication p = publication;
        if (p == null) {
            complete(r);
        } else {
            // the results come once the publications are withdrawn: a next run publishes afresh
            p.withdraw("the run is over").whenComplete((ignored, failure) -> complete(r));
        }
    }

    private void complete(Results<T> r) {
        completion.complete(r);
        notifyListener(l -> l.runFinished(r));
    }

    private void notifyListener(Consumer<RunListener<? super T>> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            // a broken live table must not break the experiment: the run goes on, the failure is logged
            log.warn("run listener {} failed: {}", listener, Failures.describe(e), e);
        }
    }

    @Override
    public Results<T> await() throws InterruptedException {
        try {
            return completion.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run completed exceptionally", e.getCause());
        }
    }

    @Override
    public Optional<Results<T>> await(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(completion.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run completed exceptionally", e.getCause());
        }
    }

    @Override
    public synchronized Results<T> results() {
        return Results.of(results);
    }

    @Override
    public boolean isDone() {
        return completion.isDone();
    }

    @Override
    public CompletionStage<Results<T>> completion() {
        return completion.minimalCompletionStage();
    }
}
