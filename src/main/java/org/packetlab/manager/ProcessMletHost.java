package org.packetlab.manager;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.ExternalMletHost;
import org.packetlab.extmlet.ExternalSession;
import org.packetlab.extmlet.MletReport;
import org.packetlab.mlet.SessionSink;
import org.packetlab.results.Results;

/**
 * Serves each session with an external mlet (spec/agents.md §A.6) through an
 * {@link ExternalMletHost}: a process per endpoint, or the run's singleton process. An endpoint's
 * value is the process's {@link MletReport}; a failed process is an MLET_FAILED result whose
 * cause, an {@link org.packetlab.extmlet.ExternalMletException}, holds the report. Cancelling the
 * session stops the process.
 */
final class ProcessMletHost implements MletHost<MletReport> {

    private final ExternalMletHost host;

    private ProcessMletHost(ExternalMletHost host) {
        this.host = host;
    }

    /** Starts hosting {@code mlet} (in singleton mode: starts its process). */
    static ProcessMletHost start(ExternalMlet mlet) throws IOException {
        return new ProcessMletHost(mlet.start());
    }

    @Override
    public SessionSink open(HostedSession<MletReport> hosted) {
        ExternalSession s = host.open(hosted.transport());
        hosted.onCancel(s::cancel);
        s.outcome().whenComplete((report, failure) -> {
            if (failure == null) {
                hosted.finished(report);
            } else {
                hosted.failed(failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
            }
        });
        return s.sink();
    }

    /**
     * Ties the host to {@code run}: a singleton that closes its control socket stops the run (the
     * reference wraps up, spec/agents.md §A.2), and the run's end closes the host. The run returned
     * is over only once the host is closed: every process ended, the singleton too.
     */
    Run<MletReport> attach(Run<MletReport> run) {
        host.singletonIntakeEnded().ifPresent(ended -> ended.thenRun(() -> {
            if (!run.isDone()) {
                run.stop();
            }
        }));
        CompletableFuture<Results<MletReport>> over = new CompletableFuture<>();
        run.completion().whenComplete((results, e) -> Thread.ofVirtual().name("pktlab-mlet-host-close").start(() -> {
            // closing waits for the processes: never on an event loop
            host.close();
            if (e == null) {
                over.complete(results);
            } else {
                over.completeExceptionally(e);
            }
        }));
        return new HostedRun(run, over);
    }

    /** Closes the host at once (the run could not start). */
    void close() {
        host.close();
    }

    /** A run whose end waits for the host to close. */
    private record HostedRun(Run<MletReport> run, CompletableFuture<Results<MletReport>> over) implements Run<MletReport> {

        @Override
        public Results<MletReport> await() throws InterruptedException {
            try {
                return over.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("run completed exceptionally", e.getCause());
            }
        }

        @Override
        public Optional<Results<MletReport>> await(Duration timeout) throws InterruptedException {
            try {
                return Optional.of(over.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new IllegalStateException("run completed exceptionally", e.getCause());
            }
        }

        @Override
        public Results<MletReport> results() {
            return run.results();
        }

        @Override
        public boolean isDone() {
            return over.isDone();
        }

        @Override
        public CompletionStage<Results<MletReport>> completion() {
            return over.minimalCompletionStage();
        }

        @Override
        public void stop() {
            run.stop();
        }

        @Override
        public void stop(Duration grace) {
            run.stop(grace);
        }

        @Override
        public void cancel() {
            run.cancel();
        }

        @Override
        public List<String> notices() {
            return run.notices();
        }
    }
}
