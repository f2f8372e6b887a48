package org.packetlab.notebook.magic;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.MletReport;
import org.packetlab.lab.Lab;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Manager;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.results.Table;

/**
 * {@code %pktlab run [-s] MLET [ARGS...]}: runs an mlet on every endpoint of the running lab (or on
 * the listening manager) and shows a results table that fills in as endpoints report. MLET is an
 * example's name, a class name, a {@code %%mlet}, or the path of an executable (an external mlet,
 * such as a reference C mlet; {@code -s} runs it in singleton mode) whose standard output is the
 * endpoint's value in the table. In Java:
 * {@code Results<?> r = lab.run(Mlet.load("HttpGet", "127.0.0.1:" + lab.httpTarget().getPort()));} or
 * {@code lab.run(ExternalMlet.of(Path.of(PATH), ARGS...), RunListener.none())}.
 */
final class RunMagic implements PktlabMagic {
    /** How long an interrupted cell waits for its cancelled run to be over. */
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(5);
    /** How long a run waits for a cancelled one that is still ending. */
    private static final Duration PREVIOUS_RUN_WAIT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run MLET (example name, class name, a %%mlet, or the path of an executable; -s: singleton mode) on every"
                + " endpoint, live table; $http and $dns stand for the lab's web and DNS servers"
                + " (Java: lab.run(Mlet.load(MLET, ARGS...)), lab.run(ExternalMlet.of(PATH, ARGS...), listener))";
    }

    @Override
    public String arguments() {
        return "[-s] MLET [ARGS...]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("run", words, Set.of(), Set.of("-s"), true).positionalCount(1, Integer.MAX_VALUE, "MLET");
        MagicSession session = MagicSession.of(context);
        Lab lab = session.lab().orElse(null);
        Manager manager = session.manager().orElse(null);
        if (lab == null && manager == null) {
            throw new MagicUsageException("run: nothing to run on; %pktlab lab start, %pktlab listen or %pktlab proxy first");
        }
        String name = args.positional().get(0);
        List<String> mletArgs = new ArrayList<>();
        for (String w : args.positional().subList(1, args.positional().size())) {
            mletArgs.add(lab == null ? w : w.replace("$http", hostPort(lab.httpTarget())).replace("$dns", hostPort(lab.dns())));
        }
        Results<?> results;
        if (isPath(name)) {
            ExternalMlet external = external(name, mletArgs, args.flag("-s"));
            if (lab != null && manager != null) {
                throw new MagicUsageException("run: external mlets run on the lab's own manager, not through %pktlab proxy;"
                        + " %pktlab stop, then %pktlab lab start");
            }
            results = RunMagic.<MletReport>runLive(context, session, external.name(), expected(lab, manager),
                    listener -> lab != null ? lab.start(external, listener) : manager.start(external, listener));
        } else {
            if (args.flag("-s")) {
                throw new MagicUsageException("run: -s (singleton mode) is for external mlets: give the path of an executable");
            }
            Mlet<?> mlet = mlet(name, mletArgs);
            results = runJava(context, session, lab, manager, name, mlet);
        }
        session.lastResults(results);
        return null;
    }

    private static <T> Results<T> runJava(MagicContext context, MagicSession session, Lab lab, Manager manager, String name,
                                          Mlet<T> mlet) throws Exception {
        return runLive(context, session, name, expected(lab, manager), listener -> {
            if (lab == null) {
                return manager.start(mlet, listener);
            }
            // a manager of the notebook's own (%pktlab proxy) serves the lab's endpoints
            return manager != null ? lab.start(manager, mlet, listener) : lab.start(mlet, listener);
        });
    }

    /** A path (it has a {@code /}) names an executable; anything else an mlet class, example or %%mlet. */
    private static boolean isPath(String name) {
        return name.contains("/");
    }

    private static ExternalMlet external(String path, List<String> args, boolean singleton) {
        try {
            return ExternalMlet.of(Path.of(path), args).singleton(singleton);
        } catch (IllegalArgumentException e) {
            throw new MagicUsageException("run: " + e.getMessage());
        }
    }

    private static Mlet<?> mlet(String name, List<String> args) {
        Mlet<Object> defined = MletMagic.defined(name).orElse(null);
        if (defined != null) {
            if (!args.isEmpty()) {
                throw new MagicUsageException("run: %%mlet " + name + " takes no arguments");
            }
            return defined;
        }
        try {
            return Mlet.load(name, args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new MagicUsageException("run: " + e.getMessage());
        }
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    private static int expected(Lab lab, Manager manager) {
        return lab != null ? lab.endpointCount() : (int) Math.min(Integer.MAX_VALUE, manager.attempts());
    }

    /** Starts a run on the lab or the manager, telling {@code listener} about every endpoint. */
    @FunctionalInterface
    private interface Starter<T> {
        Run<T> start(RunListener<T> listener) throws IOException;
    }

    /**
     * Starts the run, then keeps the live table up to date on this (the cell's) thread until the
     * run is over. An interrupt (Kernel > Interrupt) cancels the run; the cell ends once the run
     * is over (or after {@link #CANCEL_WAIT}: then the next run waits for it).
     */
    private static <T> Results<T> runLive(MagicContext context, MagicSession session, String name, int expected,
                                           Starter<T> starter) throws Exception {
        try {
            session.runOver().get(PREVIOUS_RUN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MagicUsageException("run: the interrupted run is still ending; try again in a moment");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a run's completion never fails", e);
        }
        BlockingQueue<EndpointResult<T>> reports = new LinkedBlockingQueue<>();
        RunListener<T> listener = new RunListener<>() {
            @Override
            public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(narrow(result));
            }

            @Override
            public void mletFinished(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(narrow(result));
            }

            @Override
            public void sessionFailed(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(narrow(result));
            }
        };
        Run<T> run;
        try {
            run = starter.start(listener);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the lab is closed or busy with another run, or its endpoints cannot reach the %pktlab proxy manager
            throw new MagicUsageException("run: " + e.getMessage());
        }
        CompletableFuture<Void> over = run.completion().toCompletableFuture().thenApply(r -> (Void) null);
        session.runOver(over);
        List<EndpointResult<T>> sofar = new ArrayList<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        Runnable cancel = () -> {
            interrupted.set(true);
            run.cancel();
        };
        try (CancelHooks.Registration ignored = context.onInterrupt(cancel)) {
            String id = context.displayLive(progress(name, sofar, expected));
            while (!run.isDone()) {
                EndpointResult<T> report = reports.poll(100, TimeUnit.MILLISECONDS);
                if (report != null) {
                    sofar.add(report);
                    context.updateDisplay(id, progress(name, sofar, expected));
                }
            }
            if (interrupted.get()) {
                // the cancelled run may end before this thread sees its own interrupt: the cell still fails as interrupted
                throw new InterruptedException("the run was interrupted");
            }
            Results<T> results = run.await();
            context.updateDisplay(id, results);
            return results;
        } catch (InterruptedException e) {
            run.cancel();
            awaitBounded(over, CANCEL_WAIT);
            throw e;
        }
    }

    /**
     * Waits up to {@code limit} for {@code over}; interrupts meanwhile do not end the wait (it is
     * bounded anyway) but are kept for the caller.
     */
    private static void awaitBounded(CompletableFuture<Void> over, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        while (!over.isDone() && System.nanoTime() < deadline) {
            try {
                over.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException again) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A result of a subtype of T is a result of T: results are read-only. */
    @SuppressWarnings("unchecked")
    private static <T> EndpointResult<T> narrow(EndpointResult<? extends T> result) {
        return (EndpointResult<T>) result;
    }

    private static <T> Table progress(String name, List<EndpointResult<T>> sofar, int expected) {
        Table t = Results.of(List.copyOf(sofar)).table();
        return new Table("running " + name + ": " + sofar.size() + " of " + expected + " endpoints reported", t.columns(), t.rows());
    }
}
