package org.packetlab.lab;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops of one lab service, on daemon threads it can wait for: {@link #shutdown}
 * returns only once every thread it started has ended, so a closed service leaves no threads.
 */
final class LoopGroup {

    private static final long SHUTDOWN_TIMEOUT_SECONDS = 10;

    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group;

    LoopGroup(String threadName, int threadCount) {
        ThreadFactory daemons = new DefaultThreadFactory(threadName, true);
        ThreadFactory recorded = r -> {
            Thread t = daemons.newThread(r);
            threads.add(t);
            return t;
        };
        this.group = new MultiThreadIoEventLoopGroup(threadCount, recorded, NioIoHandler.newFactory());
    }

    EventLoopGroup group() {
        return group;
    }

    /** Closes every channel of the group and waits for its threads to end. */
    void shutdown() {
        group.shutdownGracefully(0, SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_TIMEOUT_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // visible for testing
    boolean threadsEnded() {
        return threads.stream().noneMatch(Thread::isAlive);
    }
}
