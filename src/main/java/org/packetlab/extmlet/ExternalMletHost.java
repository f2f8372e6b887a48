package org.packetlab.extmlet;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.packetlab.mlet.SessionTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts an {@link ExternalMlet} for one run: opens an {@link ExternalSession} per endpoint session
 * and, in singleton mode, owns the singleton process.
 *
 * <h2>Must be closed</h2>
 * The host holds an event-loop thread (and in singleton mode a process) until {@link #close()},
 * which ends intake (the singleton gets EOF on its control socket), cancels sessions still running,
 * waits for every process it started (killing those that outstay the grace period), and ends its
 * threads.
 */
public final class ExternalMletHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExternalMletHost.class);

    private final ExternalMlet mlet;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final List<Thread> threads;
    private final SingletonMlet singleton;
    private final Set<ExternalSession> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ExternalMletHost(ExternalMlet mlet, EventLoopGroup group, List<Thread> threads, SingletonMlet singleton) {
        this.mlet = mlet;
        this.group = group;
        this.loop = group.next();
        this.threads = threads;
        this.singleton = singleton;
    }

    static ExternalMletHost start(ExternalMlet mlet) throws IOException {
        Objects.requireNonNull(mlet, "mlet");
        Posix.checkSupported();
        if (!Epoll.isAvailable()) {
            throw new IOException("external mlets need Netty's native epoll transport: " + Epoll.unavailabilityCause(),
                    Epoll.unavailabilityCause());
        }
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ThreadFactory daemons = new DefaultThreadFactory("pktlab-mlet-link", true);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = daemons.newThread(r);
            threads.add(t);
            return t;
        }, EpollIoHandler.newFactory());
        try {
            SingletonMlet singleton = mlet.isSingleton() ? SingletonMlet.start(mlet, group.next()) : null;
            return new ExternalMletHost(mlet, group, threads, singleton);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The mlet hosted. */
    public ExternalMlet mlet() {
        return mlet;
    }

    /**
     * Starts serving one endpoint session: spawns the mlet process (or hands the link to the
     * singleton). Never blocks: call it on the manager's event loop, feed every inbound message to
     * {@link ExternalSession#sink()}, and learn the end from {@link ExternalSession#outcome()}.
     *
     * @throws IllegalStateException when the host is closed
     */
    public ExternalSession open(SessionTransport transport) {
        Objects.requireNonNull(transport, "transport");
        if (closed) {
            throw new IllegalStateException("the external mlet host is closed");
        }
        ExternalSession s = new ExternalSession(mlet, transport, loop, singleton);
        running.add(s);
        s.outcome().whenComplete((r, e) -> running.remove(s));
        s.begin();
        return s;
    }

    /**
     * In singleton mode, the singleton process's end: its report when it exited with status 0,
     * else an {@link ExternalMletException}. Once it has closed its control socket no endpoint can
     * be served any more (the reference's manager then wraps up). Empty in per-endpoint mode.
     */
    public Optional<CompletionStage<MletReport>> singleton() {
        return singleton == null ? Optional.empty() : Optional.of(singleton.ended());
    }

    /** In singleton mode, completes when the singleton process closed (or wrote on) its control socket: the run should wrap up. */
    public Optional<CompletionStage<Void>> singletonIntakeEnded() {
        return singleton == null ? Optional.empty() : Optional.of(singleton.controlEnded());
    }

    /**
     * Ends intake, cancels running sessions, waits for every process (at most twice the grace
     * period plus a margin, killing what outstays it) and ends the host's threads. Idempotent; blocks,
     * so never call it on an event loop.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long waitMillis = 2 * mlet.grace().toMillis() + 2000;
        for (ExternalSession s : running) {
            s.cancel();
        }
        boolean interrupted = false;
        try {
            CompletableFuture<?>[] outcomes = running.stream().map(s -> s.outcome().toCompletableFuture()
                    .exceptionally(e -> null)).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(outcomes).get(waitMillis, TimeUnit.MILLISECONDS);
            if (singleton != null) {
                singleton.finish();
                singleton.ended().toCompletableFuture().exceptionally(e -> null).get(waitMillis, TimeUnit.MILLISECONDS);
                singleton.closeControl(waitMillis);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (TimeoutException e) {
            log.warn("external mlet {}: processes still running {} ms after close; leaving them", mlet.name(), waitMillis);
        } catch (ExecutionException e) {
            throw new IllegalStateException("an outcome that cannot fail failed", e.getCause());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // visible for testing
    boolean threadsEnded() {
        return threads.stream().noneMatch(Thread::isAlive);
    }
}
