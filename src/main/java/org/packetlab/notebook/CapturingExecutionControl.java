package org.packetlab.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControl.EngineTerminationException;
import jdk.jshell.spi.ExecutionControl.InternalException;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell's in-process execution engine, keeping the real value and the real exception of each
 * snippet (JShell itself only keeps their strings) so the kernel can render values and format
 * errors from the objects.
 *
 * <p>User code still runs on the thread {@link LocalExecutionControl} starts per snippet, so its
 * {@code stop()} (stop flag checked by instrumented snippet code, then an interrupt of the
 * snippet's threads) keeps working: {@code invoke} hands JShell {@link #runPending()} instead of
 * the snippet's method, and that runs the snippet on JShell's thread and records the outcome.
 * A stop that comes while the cell is still compiling is remembered, and the snippet then does
 * not start.
 */
final class CapturingExecutionControl extends LocalExecutionControl {

    /** The snippet method to run; inherited by the thread JShell starts for it. */
    private static final InheritableThreadLocal<Invocation> PENDING = new InheritableThreadLocal<>();
    private static final Method RUN_PENDING = runPendingMethod();

    private volatile Object lastValue;
    private volatile Throwable lastThrown;
    private volatile boolean stopRequested;

    /** Runs the pending snippet method and records what it returned or threw. */
    static Object runPending() throws Throwable {
        Invocation invocation = PENDING.get();
        if (invocation.control.stopRequested) {
            // stopped before JShell's stop() could reach this thread
            throw new InterruptedException("stopped before it started");
        }
        try {
            Object value = invocation.method.invoke(null);
            invocation.value = value;
            return value;
        } catch (InvocationTargetException e) {
            invocation.thrown = e.getCause();
            throw e.getCause();
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Invocation invocation = new Invocation(doitMethod, this);
        PENDING.set(invocation);
        try {
            return super.invoke(RUN_PENDING);
        } finally {
            PENDING.remove();
            lastValue = invocation.value;
            lastThrown = invocation.thrown;
            // threads the snippet started inherited this invocation: drop what it holds
            invocation.clear();
        }
    }

    /** Stops the running snippet, and any snippet that would start until {@link #clearStop()}. */
    @Override
    public void stop() throws EngineTerminationException, InternalException {
        stopRequested = true;
        super.stop();
    }

    /** Whether {@link #stop()} was called since the last {@link #clearStop()}. */
    boolean stopRequested() {
        return stopRequested;
    }

    /** Lets snippets run again (a new cell starts). */
    void clearStop() {
        stopRequested = false;
    }

    /** The value the last snippet returned (null for none), and forgets it. */
    Object takeValue() {
        Object v = lastValue;
        lastValue = null;
        return v;
    }

    /** The exception the last snippet threw (null for none), and forgets it. */
    Throwable takeThrown() {
        Throwable t = lastThrown;
        lastThrown = null;
        return t;
    }

    private static Method runPendingMethod() {
        try {
            Method m = CapturingExecutionControl.class.getDeclaredMethod("runPending");
            // JShell's own module calls it reflectively
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Invocation {
        volatile Method method;
        volatile CapturingExecutionControl control;
        volatile Object value;
        volatile Throwable thrown;

        Invocation(Method method, CapturingExecutionControl control) {
            this.method = method;
            this.control = control;
        }

        void clear() {
            method = null;
            control = null;
            value = null;
            thrown = null;
        }
    }

    /** Gives JShell one {@link CapturingExecutionControl}, which the kernel keeps to read results. */
    static final class Provider implements ExecutionControlProvider {
        private final CapturingExecutionControl control = new CapturingExecutionControl();

        CapturingExecutionControl control() {
            return control;
        }

        @Override
        public String name() {
            return "pktlab-capturing";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
