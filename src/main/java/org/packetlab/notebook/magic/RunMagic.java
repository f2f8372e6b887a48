package org.packetlab.notebook.magic;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.lab.Lab;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Manager;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.results.Table;

/**
 * {@code %pktlab run MLET [ARGS...]}: runs an mlet on every endpoint of the running lab (or on the
 * listening manager) and shows a results table that fills in as endpoints report. In Java:
 * {@code Results<?> r = lab.run(Mlet.load("HttpGet", "127.0.0.1:" + lab.httpTarget().getPort()));}.
 */
final class RunMagic implements PktlabMagic {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run MLET (example name, class name or a %%mlet) on every endpoint, live table; $http and $dns"
                + " stand for the lab's web and DNS servers (Java: lab.run(Mlet.load(MLET, ARGS...)))";
    }

    @Override
    public String arguments() {
        return "MLET [ARGS...]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("run", words, Set.of(), Set.of(), true).positionalCount(1, Integer.MAX_VALUE, "MLET");
        MagicSession session = MagicSession.of(context);
        Lab lab = session.lab().orElse(null);
        Manager manager = session.manager().orElse(null);
        if (lab == null && manager == null) {
            throw new MagicUsageException("run: nothing to run on; %pktlab lab start (or %pktlab listen) first");
        }
        String name = args.positional().get(0);
        List<String> mletArgs = new ArrayList<>();
        for (String w : args.positional().subList(1, args.positional().size())) {
            mletArgs.add(lab == null ? w : w.replace("$http", hostPort(lab.httpTarget())).replace("$dns", hostPort(lab.dns())));
        }
        Mlet<?> mlet = mlet(name, mletArgs);
        Results<?> results = runLive(context, lab, manager, name, mlet);
        session.lastResults(results);
        return null;
    }

    private static Mlet<?> mlet(String name, List<String> args) {
        Mlet<Object> defined = MletMagic.defined(name).orElse(null);
        if (defined != null) {
            if (!args.isEmpty()) {
                throw new MagicUsageException("run: %%mlet " + name + " takes no arguments");
            }
            return defined;
        }
        if (name.contains("/") && ExternalMlet.isExecutableFile(Path.of(name))) {
            throw new MagicUsageException("run: external mlets (executables) are not run from a notebook yet; use pktlab xpmgr");
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

    /** Runs on a worker thread while this (the cell's) thread keeps the live table up to date. */
    private static <T> Results<T> runLive(MagicContext context, Lab lab, Manager manager, String name, Mlet<T> mlet)
            throws Exception {
        BlockingQueue<Object> reports = new LinkedBlockingQueue<>();
        RunListener<T> listener = new RunListener<>() {
            @Override
            public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(result);
            }

            @Override
            public void mletFinished(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(result);
            }

            @Override
            public void sessionFailed(EndpointRef endpoint, EndpointResult<? extends T> result) {
                reports.add(result);
            }
        };
        CompletableFuture<Results<T>> done = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("pktlab-run-" + name).start(() -> {
            try {
                done.complete(lab == null ? manager.start(mlet, listener).await()
                        // a manager of the notebook's own (%pktlab proxy) serves the lab's endpoints
                        : manager != null ? lab.run(manager, mlet, listener) : lab.run(mlet, listener));
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        int expected = lab != null ? lab.endpointCount() : (int) Math.min(Integer.MAX_VALUE, manager.attempts());
        List<EndpointResult<T>> sofar = new ArrayList<>();
        try (CancelHooks.Registration ignored = context.onInterrupt(worker::interrupt)) {
            String id = context.displayLive(progress(name, sofar, expected));
            while (!done.isDone()) {
                Object report = reports.poll(100, TimeUnit.MILLISECONDS);
                if (report != null) {
                    @SuppressWarnings("unchecked")
                    EndpointResult<T> r = (EndpointResult<T>) report;
                    sofar.add(r);
                    context.updateDisplay(id, progress(name, sofar, expected));
                }
            }
            Results<T> results = done.join();
            context.updateDisplay(id, results);
            return results;
        } catch (InterruptedException e) {
            worker.interrupt();
            throw e;
        }
    }

    private static <T> Table progress(String name, List<EndpointResult<T>> sofar, int expected) {
        Table t = Results.of(List.copyOf(sofar)).table();
        return new Table("running " + name + ": " + sofar.size() + " of " + expected + " endpoints reported", t.columns(), t.rows());
    }
}
