package org.packetlab.manager;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.packetlab.mlet.EndpointSessions;

/** The manager's event loops, on daemon threads it records so that shutting down waits for every one of them to end. */
final class EventLoops {
    private static final long SHUTDOWN_SECONDS = 10;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    final EventLoopGroup accept;
    final EventLoopGroup sessions;
    /** Ends the mlets' blocking calls at their timeouts ({@link EndpointSessions#deadlines}). */
    final Timer deadlines;

    EventLoops(int sessionThreads) {
        accept = new MultiThreadIoEventLoopGroup(1, recorded("pktlab-manager-accept"), NioIoHandler.newFactory());
        sessions = new MultiThreadIoEventLoopGroup(sessionThreads, recorded("pktlab-manager"), NioIoHandler.newFactory());
        deadlines = EndpointSessions.newDeadlines(recorded("pktlab-manager-deadlines"));
    }

    private ThreadFactory recorded(String name) {
        ThreadFactory daemons = new DefaultThreadFactory(name, true);
        return r -> {
            Thread t = daemons.newThread(r);
            threads.add(t);
            return t;
        };
    }

    /** Shuts both groups and the deadline timer down at once and waits for their threads to end. */
    void shutdown() {
        accept.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        sessions.shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        deadlines.stop(); // the mlets are over: their pending deadlines have nothing left to end
        boolean interrupted = false;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_SECONDS));
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
