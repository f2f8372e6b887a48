package org.packetlab.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for a long-running command, as the reference manager handles SIGINT (spec/agents.md §A.2):
 * the first runs a graceful stop, the second exits at once with status 1. Closing restores the
 * previous handler.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported): a shutdown hook cannot do this, because
 * once the JVM shuts down a second Ctrl-C can neither be seen nor end the process.
 */
final class Interrupts implements AutoCloseable {
    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private Interrupts(Runnable firstInterrupt) {
        AtomicInteger count = new AtomicInteger();
        previous = Signal.handle(INT, s -> {
            if (count.incrementAndGet() == 1) {
                firstInterrupt.run();
            } else {
                Runtime.getRuntime().halt(1);
            }
        });
    }

    /** Handles Ctrl-C until closed: {@code firstInterrupt} on the first, exit on the second. */
    static Interrupts onFirst(Runnable firstInterrupt) {
        return new Interrupts(firstInterrupt);
    }

    @Override
    public void close() {
        Signal.handle(INT, previous);
    }
}
