package org.packetlab.notebook.magic;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to cancel when the user interrupts the kernel: a running experiment registers its cancel
 * action for as long as it runs, and every registered action runs on interrupt.
 */
public final class CancelHooks {
    private static final Logger log = LoggerFactory.getLogger(CancelHooks.class);

    private final List<Hook> hooks = new CopyOnWriteArrayList<>();

    /** A registered cancel action; closing it unregisters the action. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Registers {@code cancel} until the returned registration is closed. */
    public Registration add(Runnable cancel) {
        Hook hook = new Hook(cancel);
        hooks.add(hook);
        return hook;
    }

    /** Runs every registered action; one that fails is logged and the others still run. */
    public void cancelAll() {
        for (Hook hook : hooks) {
            try {
                hook.cancel.run();
            } catch (RuntimeException e) {
                log.warn("interrupt: cancel action {} failed: {}", hook.cancel, e.toString());
            }
        }
    }

    /** How many actions are registered now. */
    public int size() {
        return hooks.size();
    }

    private final class Hook implements Registration {
        final Runnable cancel;

        Hook(Runnable cancel) {
            this.cancel = cancel;
        }

        @Override
        public void close() {
            hooks.remove(this);
        }
    }
}
