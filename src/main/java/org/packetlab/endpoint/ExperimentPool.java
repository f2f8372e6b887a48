package org.packetlab.endpoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's experiment pool and scheduler, the reference's deputy (spec/agents.md §C.4): it
 * takes the descriptors the broker sends ({@link #offer}), keeps them, and runs one experiment at a
 * time on its {@link Endpoint}: the entry of highest {@code exp_priority} that is not yielding,
 * the most recently received first among equals. A finished run removes its entry; a
 * {@code yield} keeps it until the time the controller named.
 *
 * <pre>{@code
 * ExperimentPool pool = ExperimentPool.builder(endpoint).build();
 * BrokerSubscriber sub = EndpointSubscriber.fromConfig(conf, key).listener(n -> pool.offer(n.xdescr())).start();
 * }</pre>
 *
 * <p>Where this does better than the reference: a descriptor whose {@code pub_end} has passed is
 * not run (the reference never reads {@code pub_end}); a descriptor byte-identical to one waiting
 * or running is not queued twice (the reference runs it again after a broker reconnection);
 * a descriptor with an invalid {@code sni_key} is refused at intake (the reference copies it
 * unchecked into a fixed buffer). As the reference, an arrival of strictly higher priority
 * suspends the running session ({@code suspd}, disconnect) once that session is set up; the
 * suspended entry stays in the pool and runs again later from the start.
 *
 * <h2>A pool must be closed</h2>
 * {@link #close()} forgets the waiting entries; a running session ends when its endpoint closes.
 */
public final class ExperimentPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ExperimentPool.class);

    /** The reference endpoint drops descriptors of this many bytes or more. */
    public static final int MAX_XDESCR_BYTES = 4096;

    /** Hears what the pool does; called without the pool's lock held, on whatever thread acted: must not block. */
    public interface Listener {
        /** A descriptor was queued. */
        default void queued(PoolEntry entry) {}

        /** A descriptor was not queued: malformed, expired, already waiting, or no controller address. */
        default void discarded(NameValues xdescr, String reason) {}

        /** The endpoint is connecting to the entry's controller. */
        default void started(PoolEntry entry) {}

        /** The entry's session ended; a yielded entry stays in the pool. */
        default void finished(PoolEntry entry, SessionOutcome outcome) {}
    }

    private final Endpoint endpoint;
    private final Listener listener;
    private final LongSupplier clock;
    private final Object lock = new Object();
    private final List<PoolEntry> entries = new ArrayList<>(); // guarded by lock; waiting entries
    private PoolEntry running;                                 // guarded by lock
    private CompletableFuture<SessionOutcome> runningOutcome;  // guarded by lock; null while connect() is being called
    private long seq;                                          // guarded by lock
    private boolean closed;                                    // guarded by lock
    private int sessionsRun;                                   // guarded by lock

    private ExperimentPool(Builder b) {
        this.endpoint = b.endpoint;
        this.listener = b.listener;
        this.clock = b.clock;
    }

    /** A builder for a pool running experiments on {@code endpoint}. */
    public static Builder builder(Endpoint endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Takes a descriptor (spec/agents.md §C.4 intake): reads {@code controller_addr} (required),
     * {@code sni_key}, {@code exp_priority} and {@code pub_end} (later duplicates win), queues it,
     * and starts it when nothing runs. Thread-safe and non-blocking: callable from an event loop.
     */
    public void offer(NameValues xdescr) {
        Objects.requireNonNull(xdescr, "xdescr");
        String problem = null;
        PoolEntry entry = null;
        synchronized (lock) {
            if (closed) {
                problem = "the pool is closed";
            } else {
                try {
                    entry = read(xdescr, ++seq);
                    if (entry.expiredAt(clock.getAsLong())) {
                        problem = "pub_end has passed";
                    } else if (isWaitingOrRunning(xdescr)) {
                        problem = "the same descriptor is already waiting or running";
                    } else {
                        entries.add(entry);
                    }
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
        }
        if (problem != null) {
            log.warn("descriptor {} not queued: {}", xdescr, problem);
            String why = problem;
            call(() -> listener.discarded(xdescr, why));
            return;
        }
        log.info("queued {}", entry);
        PoolEntry queued = entry;
        call(() -> listener.queued(queued));
        schedule();
    }

    private boolean isWaitingOrRunning(NameValues xdescr) {
        return (running != null && running.xdescr().equals(xdescr)) || entries.stream().anyMatch(e -> e.xdescr().equals(xdescr));
    }

    private static PoolEntry read(NameValues xdescr, long seq) {
        if (xdescr.syntax() != NameValues.Syntax.XDESCR) {
            throw new IllegalArgumentException("not an xdescr");
        }
        if (xdescr.toString().length() >= MAX_XDESCR_BYTES) {
            throw new IllegalArgumentException("longer than " + (MAX_XDESCR_BYTES - 1) + " bytes");
        }
        String controller = xdescr.getLast("controller_addr")
                .orElseThrow(() -> new IllegalArgumentException("no controller_addr"));
        if (controller.length() > 255) {
            throw new IllegalArgumentException("controller_addr longer than 255 characters");
        }
        Optional<Snikey> snikey = Optional.empty();
        Optional<String> sni = xdescr.getLast("sni_key").filter(s -> !s.isEmpty());
        if (sni.isPresent()) {
            if (!Snikey.isValid(sni.get())) {
                throw new IllegalArgumentException("sni_key \"" + sni.get() + "\" is not a valid snikey");
            }
            snikey = Optional.of(new Snikey(sni.get()));
        }
        long priority = xdescr.getLast("exp_priority").map(ExperimentPool::u32).orElse(0L);
        OptionalLong pubEnd = OptionalLong.empty();
        Optional<String> end = xdescr.getLast("pub_end");
        if (end.isPresent()) {
            try {
                pubEnd = OptionalLong.of(Long.parseUnsignedLong(end.get()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("pub_end \"" + end.get() + "\" is not a number", e);
            }
        }
        return new PoolEntry(seq, xdescr, controller, snikey, priority, pubEnd, 0);
    }

    /** {@code exp_priority} as the reference stores it: decimal, truncated to 32 bits; not a number = 0. */
    private static long u32(String text) {
        if (text.isEmpty() || text.length() > 20 || !text.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(text) & 0xFFFF_FFFFL;
        } catch (NumberFormatException tooLarge) {
            return 0;
        }
    }

    /**
     * Starts the best runnable entry when nothing runs, or suspends the running session for it when
     * its priority is strictly higher (spec/agents.md §C.4; the suspended entry goes back to the
     * pool and runs again later from the start); sets a timer for the earliest yield otherwise.
     */
    private void schedule() {
        PoolEntry next;
        PoolEntry suspended = null;
        List<PoolEntry> expired = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = clock.getAsLong();
            entries.removeIf(e -> {
                if (e.expiredAt(now)) {
                    expired.add(e);
                    return true;
                }
                return false;
            });
            Optional<PoolEntry> best = entries.stream().filter(e -> e.runnableAt(now))
                    .max(Comparator.comparingLong(PoolEntry::priority).thenComparingLong(PoolEntry::seq));
            if (best.isEmpty()) {
                if (running == null) {
                    entries.stream().mapToLong(PoolEntry::yieldUntil).min().ifPresent(until -> wakeAt(until, now));
                }
                next = null;
            } else if (running == null) {
                next = best.get();
            } else if (best.get().priority() > running.priority() && runningOutcome != null && endpoint.suspend(runningOutcome)) {
                suspended = running;
                entries.add(running);
                next = best.get();
            } else {
                next = null;
            }
            if (next != null) {
                entries.remove(next);
                running = next;
                runningOutcome = null;
                sessionsRun++;
            }
        }
        expired.forEach(e -> log.info("{} dropped: pub_end has passed", e));
        if (suspended != null) {
            log.info("suspending {} for {}", suspended, next);
        }
        if (next == null) {
            return;
        }
        log.info("running {}", next);
        call(() -> listener.started(next));
        CompletableFuture<SessionOutcome> outcome;
        try {
            outcome = endpoint.connect(next.controllerAddr(), next.snikey());
        } catch (IllegalArgumentException | IllegalStateException e) {
            outcome = CompletableFuture.completedFuture(new SessionOutcome.Unreachable(e.getMessage()));
        }
        synchronized (lock) {
            if (running == next) {
                runningOutcome = outcome;
            }
        }
        CompletableFuture<SessionOutcome> mine = outcome;
        outcome.whenComplete((o, failure) -> finished(next, mine, o != null ? o
                : new SessionOutcome.ConnectionFailed(String.valueOf(failure))));
        // an entry of higher priority may have arrived while this one was starting
        schedule();
    }

    private void wakeAt(long until, long now) {
        long delay = Long.compareUnsigned(until, now) <= 0 ? 0 : until - now;
        if (delay < 0 || delay > TimeUnit.DAYS.toNanos(31)) {
            return; // beyond any sensible wait: the entry runs when something else wakes the pool
        }
        CompletableFuture.runAsync(this::schedule, CompletableFuture.delayedExecutor(delay + 1, TimeUnit.NANOSECONDS));
    }

    private void finished(PoolEntry entry, CompletableFuture<SessionOutcome> outcome, SessionOutcome how) {
        synchronized (lock) {
            // a suspended session ends after its successor started: its entry is already back in the pool
            if (runningOutcome == outcome || (running == entry && runningOutcome == null)) {
                running = null;
                runningOutcome = null;
                if (how instanceof SessionOutcome.Yielded y && !closed) {
                    entries.add(entry.yieldingUntil(y.until()));
                }
            }
        }
        log.info("{} ended: {}", entry, how.describe());
        call(() -> listener.finished(entry, how));
        schedule();
    }

    /** The entries waiting, best first (as the scheduler would pick them, yields aside). */
    public List<PoolEntry> waiting() {
        synchronized (lock) {
            return entries.stream().sorted(Comparator.comparingLong(PoolEntry::priority).thenComparingLong(PoolEntry::seq).reversed()).toList();
        }
    }

    /** The entry whose session runs now. */
    public Optional<PoolEntry> running() {
        synchronized (lock) {
            return Optional.ofNullable(running);
        }
    }

    /** How many sessions the pool has started. */
    public int sessionsStarted() {
        synchronized (lock) {
            return sessionsRun;
        }
    }

    /** Forgets the waiting entries and takes no more; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            entries.clear();
        }
    }

    private void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("experiment pool listener failed: {}", e.toString(), e);
        }
    }

    /** Configures an {@link ExperimentPool}. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Listener listener = new Listener() {};
        private LongSupplier clock = PktlabTime::now;

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** Hears what the pool does. */
        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock in pktlab time, for {@code pub_end} and yields (default: the system clock). */
        public Builder clock(LongSupplier pktlabClock) {
            this.clock = Objects.requireNonNull(pktlabClock, "pktlabClock");
            return this;
        }

        /** The pool. */
        public ExperimentPool build() {
            return new ExperimentPool(this);
        }
    }
}
