package org.packetlab.notebook;

import java.util.concurrent.CountDownLatch;

/** Lets a test's cell say it is running (cells see public classes of the test class path). */
public final class CellSignals {
    private CellSignals() {}

    /** Counted down by a cell once it runs. */
    public static volatile CountDownLatch running = new CountDownLatch(1);
}
