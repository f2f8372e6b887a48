package org.packetlab.wire;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread (HotSpot's per-thread allocation counter). */
final class Allocation {
    private Allocation() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long currentThread() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
