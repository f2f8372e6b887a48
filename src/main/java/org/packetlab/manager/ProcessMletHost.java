package org.packetlab.manager;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.ExternalMletHost;
import org.packetlab.extmlet.ExternalSession;
import org.packetlab.extmlet.MletReport;
import org.packetlab.mlet.SessionSink;

/**
 * Serves each session with an external mlet (spec/agents.md §A.6) through an
 * {@link ExternalMletHost}: a process per endpoint, or the run's singleton process. An endpoint's
 * value is the process's {@link MletReport}; a failed process is an MLET_FAILED result whose
 * cause, an {@link org.packetlab.extmlet.ExternalMletException}, holds the report. Cancelling the
 * session stops the process.
 */
final class ProcessMletHost implements MletHost<MletReport> {

    private final ExternalMletHost host;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

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
     * reference wraps up, spec/agents.md §A.2), and the run's end closes the host off the event loops.
     */
    <T extends Run<MletReport>> T attach(T run) {
        host.singletonIntakeEnded().ifPresent(ended -> ended.thenRun(() -> {
            if (!run.isDone()) {
                run.stop();
            }
        }));
        run.completion().whenComplete((r, e) -> Thread.ofVirtual().name("pktlab-mlet-host-close").start(this::close));
        return run;
    }

    /** Closes the host (in singleton mode: EOF to the singleton, which has the grace period to exit). Idempotent; blocks. */
    void close() {
        try {
            host.close();
        } finally {
            closed.complete(null);
        }
    }

    /** Waits until {@link #close()} is done. */
    void awaitClosed() throws InterruptedException {
        try {
            closed.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("closing cannot fail", e.getCause());
        }
    }
}
