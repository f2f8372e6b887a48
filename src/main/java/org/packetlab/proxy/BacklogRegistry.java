package org.packetlab.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Status;

/**
 * The proxy's backlog connections by snikey (spec/agents.md §A.8 2.6, 3.3): who owns each snikey,
 * the idle connections waiting for an endpoint (most recently registered first), and the endpoints
 * waiting for one. Shared by every event loop; all state is guarded by {@code this}, and promises
 * are completed outside the lock.
 *
 * <p>The first manager to register a snikey owns it while it has connections to the proxy
 * (registering, idle or relaying) or endpoints wait for one; others are refused with ESYSNOPERM. The backlog (registering or
 * idle connections) is capped per snikey and in total (ENORES).
 */
final class BacklogRegistry {
    private final int maxPerSnikey;
    private final int maxTotal;
    private final Map<Snikey, Entry> entries = new HashMap<>();
    private int backlog;
    private int idle;

    BacklogRegistry(int maxPerSnikey, int maxTotal) {
        this.maxPerSnikey = maxPerSnikey;
        this.maxTotal = maxTotal;
    }

    /** The outcome of an {@code xreg}: a {@link Registration}, or a {@link Refusal}. */
    sealed interface Admission permits Registration, Refusal {}

    /** A refused {@code xreg}: the status to answer with, and why (for the log). */
    record Refusal(Status status, String reason) implements Admission {}

    /** One backlog connection of a snikey, from its accepted {@code xreg} until it closes. */
    static final class Registration implements Admission {
        private enum State { RESERVED, IDLE, TAKEN, RELEASED }

        private final Snikey snikey;
        private final Channel channel;
        private State state = State.RESERVED;

        private Registration(Snikey snikey, Channel channel) {
            this.snikey = snikey;
            this.channel = channel;
        }

        Snikey snikey() {
            return snikey;
        }

        Channel channel() {
            return channel;
        }
    }

    /** The connections of one snikey and the agent key that owns it (empty: a manager without a certificate). */
    private static final class Entry {
        final Optional<KeyId> owner;
        int connections;
        int backlog;
        final Deque<Registration> idle = new ArrayDeque<>();
        final Deque<Promise<Registration>> waiters = new ArrayDeque<>();

        Entry(Optional<KeyId> owner) {
            this.owner = owner;
        }
    }

    /** Admits {@code channel} as a backlog connection of {@code snikey} for the manager with key {@code agent}, or says why not. */
    synchronized Admission reserve(Snikey snikey, Optional<KeyId> agent, Channel channel) {
        Entry e = entries.get(snikey);
        if (e != null && !e.owner.equals(agent)) {
            return new Refusal(Status.ESYSNOPERM, "snikey " + snikey + " is registered by "
                    + e.owner.map(k -> "agent key " + k.hex()).orElse("a manager without certificate"));
        }
        if (e != null && e.backlog >= maxPerSnikey) {
            return new Refusal(Status.ENORES, "snikey " + snikey + " already has " + maxPerSnikey + " backlog connections");
        }
        if (backlog >= maxTotal) {
            return new Refusal(Status.ENORES, "the proxy already holds " + maxTotal + " backlog connections");
        }
        if (e == null) {
            e = new Entry(agent);
            entries.put(snikey, e);
        }
        e.connections++;
        e.backlog++;
        backlog++;
        Registration r = new Registration(snikey, channel);
        channel.closeFuture().addListener(f -> release(r));
        return r;
    }

    /** Makes a registered connection available: to the longest-waiting endpoint, or to the idle backlog. */
    void markIdle(Registration r) {
        while (true) {
            Promise<Registration> waiter;
            synchronized (this) {
                if (r.state != Registration.State.RESERVED) {
                    return;
                }
                Entry e = entries.get(r.snikey);
                waiter = e.waiters.poll();
                if (waiter == null) {
                    r.state = Registration.State.IDLE;
                    e.idle.addFirst(r);
                    idle++;
                    return;
                }
                take(e, r);
            }
            if (waiter.trySuccess(r)) {
                return;
            }
            synchronized (this) {
                untake(r);
            }
        }
    }

    /**
     * The most recently registered live idle connection of {@code snikey}, or the first to become
     * idle within {@code wait}. The future completes on {@code loop}; it fails with an
     * {@link UnroutableException} when the snikey is not registered or nothing came in time.
     */
    Future<Registration> take(Snikey snikey, EventLoop loop, Duration wait) {
        Promise<Registration> p = loop.newPromise();
        Registration found = null;
        synchronized (this) {
            Entry e = entries.get(snikey);
            if (e == null) {
                return p.setFailure(new UnroutableException("snikey " + snikey + " is not registered"));
            }
            for (Registration r; found == null && (r = e.idle.pollFirst()) != null; ) {
                idle--;
                if (r.channel.isActive()) {
                    take(e, r);
                    found = r;
                } else {
                    // closing: its close listener releases it; until then it only must not be handed out
                    r.state = Registration.State.RESERVED;
                }
            }
            if (found == null) {
                e.waiters.add(p);
            }
        }
        if (found != null) {
            return p.setSuccess(found);
        }
        loop.schedule(() -> p.tryFailure(new UnroutableException(
                "no backlog connection for snikey " + snikey + " within " + wait.toMillis() + " ms")), wait.toNanos(), TimeUnit.NANOSECONDS);
        p.addListener(f -> forget(snikey, p));
        return p;
    }

    /** Returns a connection taken for an endpoint that went away before its relay started. */
    void giveBack(Registration r) {
        synchronized (this) {
            if (r.state != Registration.State.TAKEN || !r.channel.isActive()) {
                return;
            }
            untake(r);
        }
        markIdle(r);
    }

    /** Endpoints waiting for a backlog connection of {@code snikey}. */
    synchronized int waiting(Snikey snikey) {
        Entry e = entries.get(snikey);
        return e == null ? 0 : e.waiters.size();
    }

    /** Idle backlog connections over all snikeys. */
    synchronized int idleCount() {
        return idle;
    }

    private void take(Entry e, Registration r) {
        r.state = Registration.State.TAKEN;
        e.backlog--;
        backlog--;
    }

    private void untake(Registration r) {
        if (r.state == Registration.State.TAKEN) {
            r.state = Registration.State.RESERVED;
            entries.get(r.snikey).backlog++;
            backlog++;
        }
    }

    private synchronized void forget(Snikey snikey, Promise<Registration> p) {
        Entry e = entries.get(snikey);
        if (e != null) {
            e.waiters.remove(p);
            if (e.connections == 0 && e.waiters.isEmpty()) {
                entries.remove(snikey);
            }
        }
    }

    private void release(Registration r) {
        synchronized (this) {
            Entry e = entries.get(r.snikey);
            switch (r.state) {
                case RELEASED -> {
                    return;
                }
                case IDLE -> {
                    if (e.idle.remove(r)) {
                        idle--;
                    }
                    e.backlog--;
                    backlog--;
                }
                case RESERVED -> {
                    e.backlog--;
                    backlog--;
                }
                case TAKEN -> { }
            }
            r.state = Registration.State.RELEASED;
            // endpoints waiting keep the snikey (and its owner) until their wait ends: the manager's
            // replacement connection is often still registering when the last session of a snikey ends
            if (--e.connections == 0 && e.waiters.isEmpty()) {
                entries.remove(r.snikey);
            }
        }
    }
}
