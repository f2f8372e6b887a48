package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registration attempt of a {@link BacklogPool}, from TCP connect until it is handed to the
 * manager or ends: its {@link BacklogState}, the per-state timeout, and exactly one report of how
 * it ended to the pool. Used on its channel's event loop.
 */
final class BacklogConnection {
    private static final Logger log = LoggerFactory.getLogger(BacklogConnection.class);

    private final BacklogPool pool;
    private final Snikey snikey;
    private final Duration timeout;
    private Channel channel;
    private BacklogState state = BacklogState.TCP_CONNECT;
    private ScheduledFuture<?> timer;
    private boolean ready;
    private boolean over;

    BacklogConnection(BacklogPool pool, Snikey snikey, Duration timeout) {
        this.pool = pool;
        this.snikey = snikey;
        this.timeout = timeout;
    }

    Snikey snikey() {
        return snikey;
    }

    BacklogPool pool() {
        return pool;
    }

    /** The TCP connection is up. */
    void connected(Channel ch) {
        this.channel = ch;
        enter(BacklogState.TLS_HANDSHAKE);
    }

    /** Moves to {@code next}; a state other than DONE must be left within the timeout. */
    void enter(BacklogState next) {
        if (over) {
            return;
        }
        state = next;
        if (timer != null) {
            timer.cancel(false);
        }
        if (next == BacklogState.DONE) {
            ready = true;
            pool.registered(snikey);
        } else if (channel != null) {
            timer = channel.eventLoop().schedule(() -> fail("no progress in state " + next + " within " + timeout.toMillis() + " ms", false),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    boolean isOver() {
        return over;
    }

    /** The attempt failed ({@code unreachable}: the proxy could not be connected to); closes the connection. */
    void fail(String reason, boolean unreachable) {
        if (over) {
            return;
        }
        end();
        pool.failed(snikey, reason, unreachable, ready);
        if (channel != null) {
            channel.close();
        }
    }

    /**
     * The connection closed: reported on the next turn of the loop, so that an exception that
     * closed it (a TLS alert from the proxy, say) reports first, with its reason.
     */
    void closed(Channel ch) {
        try {
            ch.eventLoop().execute(this::reportClosed);
        } catch (RejectedExecutionException e) {
            reportClosed(); // the loop is shutting down: nothing else will report
        }
    }

    private void reportClosed() {
        if (over || state == BacklogState.TCP_CONNECT) {
            return; // while connecting, the connect outcome reports
        }
        end();
        if (ready) {
            log.debug("backlog connection for snikey {} closed by the proxy", snikey);
            pool.lost(snikey);
        } else {
            pool.failed(snikey, "the proxy closed the connection in state " + state, false, false);
        }
    }

    /**
     * An endpoint's bytes arrived: hands the connection, its pipeline emptied, to the manager, then
     * fires {@code first} into the manager's pipeline.
     */
    void handOff(ByteBuf first) {
        if (over) {
            first.release();
            return;
        }
        end();
        pool.handOff(this, channel, first, ready);
    }

    private void end() {
        over = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
