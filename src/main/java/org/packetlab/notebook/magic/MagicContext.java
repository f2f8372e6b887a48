package org.packetlab.notebook.magic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.packetlab.notebook.display.Displays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link PktlabMagic} may use: the kernel, display, interrupt hooks, the other magics,
 * and state kept between cells (e.g. the running lab), closed when the magics are uninstalled.
 */
public final class MagicContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MagicContext.class);

    private final BaseKernel kernel;
    private final CancelHooks cancelHooks;
    private final Supplier<List<PktlabMagic>> magics;
    private final Map<Class<?>, Object> state = new ConcurrentHashMap<>();

    MagicContext(BaseKernel kernel, CancelHooks cancelHooks, Supplier<List<PktlabMagic>> magics) {
        this.kernel = kernel;
        this.cancelHooks = cancelHooks;
        this.magics = magics;
    }

    /** The kernel the magics run in. */
    public BaseKernel kernel() {
        return kernel;
    }

    /** Every sub-magic of {@code %pktlab}, in registration order. */
    public List<PktlabMagic> magics() {
        return magics.get();
    }

    /**
     * Registers what stops a running experiment when the user interrupts the kernel; close the
     * registration when the experiment ends.
     */
    public CancelHooks.Registration onInterrupt(Runnable cancel) {
        return cancelHooks.add(cancel);
    }

    /** Shows {@code value} now, below the cell, rendered as for a cell's value. */
    public void display(Object value) {
        Displays.show(kernel, value);
    }

    /** Shows {@code value} now and returns the id that {@link #updateDisplay} replaces it by. */
    public String displayLive(Object value) {
        return Displays.showLive(kernel, value);
    }

    /** Replaces what {@link #displayLive} showed under {@code id} with {@code value}. */
    public void updateDisplay(String id, Object value) {
        Displays.update(kernel, id, value);
    }

    /** The state of {@code type}, created by {@code create} on first use. */
    public <T> T state(Class<T> type, Supplier<? extends T> create) {
        return type.cast(state.computeIfAbsent(type, t -> create.get()));
    }

    /** The state of {@code type}, if any. */
    public <T> Optional<T> findState(Class<T> type) {
        return Optional.ofNullable(type.cast(state.get(type)));
    }

    /** Forgets the state of {@code type} and returns it (closing it is the caller's business). */
    public <T> Optional<T> removeState(Class<T> type) {
        return Optional.ofNullable(type.cast(state.remove(type)));
    }

    /** Closes every state that is {@link AutoCloseable}; one that fails is logged, the others still close. */
    @Override
    public void close() {
        for (Object s : state.values()) {
            if (s instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("magics: closing {} failed: {}", s.getClass().getSimpleName(), e.toString());
                }
            }
        }
        state.clear();
    }
}
