package org.packetlab.extmlet;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running mlet process: its pid, its captured standard streams, the thread that waits for it,
 * and the way to stop it (SIGTERM to its process group, SIGKILL after the grace period).
 *
 * <p>State lives on the given event loop; the waiting thread hands the exit status to it. The
 * group is signalled only while the process is unreaped, so its group id cannot have been reused.
 */
final class MletProcess {
    private static final Logger log = LoggerFactory.getLogger(MletProcess.class);

    private final String name;
    private final int pid;
    private final EventLoop loop;
    private final Duration grace;
    private final long startNanos = System.nanoTime();
    private final OutputCapture[] captures = new OutputCapture[2]; // stdout, stderr; null when not captured
    private final List<Channel> captureChannels = new ArrayList<>(2);
    private final CompletableFuture<ExitStatus> ended = new CompletableFuture<>();

    // on the loop
    private ExitStatus status;
    private long endNanos;
    private int lastSignal;
    private ScheduledFuture<?> killTimer;
    private ScheduledFuture<?> drainTimer;

    // guarded by this: set by the waiting thread before it reaps
    private boolean exited;

    private MletProcess(String name, int pid, EventLoop loop, Duration grace) {
        this.name = name;
        this.pid = pid;
        this.loop = loop;
        this.grace = grace;
    }

    /**
     * Spawns {@code mlet} with fd 0 = {@code fd0} (the caller keeps and closes its copy) and the
     * environment {@code env}; captures fds 1 and 2 on socket pairs when the mlet captures output.
     *
     * @throws IOException when the process cannot be started
     */
    static MletProcess start(ExternalMlet mlet, List<String> env, int fd0, EventLoop loop) throws IOException {
        List<Posix.SocketPair> pairs = new ArrayList<>(2);
        boolean spawned = false;
        try {
            if (mlet.output() == ExternalMlet.Output.CAPTURE) {
                pairs.add(Posix.socketPair());
                pairs.add(Posix.socketPair());
            }
            int pid = Posix.spawn(mlet.file(), mlet.argv(), env, fd0,
                    pairs.isEmpty() ? -1 : pairs.get(0).mletEnd(), pairs.isEmpty() ? -1 : pairs.get(1).mletEnd());
            spawned = true;
            MletProcess p = new MletProcess(mlet.name(), pid, loop, mlet.grace());
            for (Posix.SocketPair pair : pairs) {
                Posix.close(pair.mletEnd());
            }
            if (!pairs.isEmpty()) {
                p.capture(0, "stdout", pairs.get(0).managerEnd(), mlet.outputLimit());
                p.capture(1, "stderr", pairs.get(1).managerEnd(), mlet.outputLimit());
            }
            p.watch();
            return p;
        } finally {
            if (!spawned) {
                for (Posix.SocketPair pair : pairs) {
                    Posix.close(pair.mletEnd());
                    Posix.close(pair.managerEnd());
                }
            }
        }
    }

    private void capture(int index, String stream, int fd, int limit) {
        OutputCapture c = new OutputCapture(name + " " + stream, limit, this::checkEnded);
        try {
            captureChannels.add(DomainSockets.wrap(fd, loop, c));
            captures[index] = c;
        } catch (IOException e) {
            // the process runs already: it goes on without this capture (its writes there fail)
            log.warn("mlet {} (pid {}): {} not captured: {}", name, pid, stream, e.getMessage());
        }
    }

    private void watch() {
        Thread.ofPlatform().daemon().name("pktlab-mlet-wait-" + pid).stackSize(256 * 1024).start(() -> {
            ExitStatus s;
            try {
                Posix.awaitExit(pid);
                synchronized (this) {
                    exited = true;
                }
                s = Posix.reap(pid);
            } catch (IOException e) {
                log.error("cannot wait for mlet {} (pid {}): {}", name, pid, e.getMessage());
                onLoop(() -> ended.completeExceptionally(e));
                return;
            }
            onLoop(() -> exited(s));
        });
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // the host shut its loop down without waiting for this process: nobody is left to tell but the log
            log.warn("mlet {} (pid {}) ended after its host closed", name, pid);
        }
    }

    private void exited(ExitStatus s) {
        status = s;
        endNanos = System.nanoTime();
        if (killTimer != null) {
            killTimer.cancel(false);
        }
        log.debug("mlet {} (pid {}) ended: {}", name, pid, s);
        if (!capturesDone()) {
            // a descendant may still hold the output sockets: keep what it writes for the grace period
            drainTimer = loop.schedule(() -> captureChannels.forEach(Channel::close), grace.toNanos(), TimeUnit.NANOSECONDS);
        }
        checkEnded();
    }

    private boolean capturesDone() {
        return Arrays.stream(captures).allMatch(c -> c == null || c.isDone());
    }

    private void checkEnded() {
        if (status != null && capturesDone() && !ended.isDone()) {
            if (drainTimer != null) {
                drainTimer.cancel(false);
            }
            ended.complete(status);
        }
    }

    int pid() {
        return pid;
    }

    /** Completes, on the loop, once the process is reaped and its captured streams are closed. */
    CompletionStage<ExitStatus> ended() {
        return ended;
    }

    /** Whether the process has been seen to end. Loop only. */
    boolean hasEnded() {
        return status != null;
    }

    /**
     * Stops the process: SIGTERM to its group now, SIGKILL after the grace period if it is still
     * there. Does nothing once it has ended. Any thread.
     */
    void terminate() {
        if (!loop.inEventLoop()) {
            onLoop(this::terminate);
            return;
        }
        if (status != null || killTimer != null) {
            return;
        }
        signal(LibC.SIGTERM);
        killTimer = loop.schedule(() -> signal(LibC.SIGKILL), grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void signal(int sig) {
        synchronized (this) {
            if (exited) {
                return;
            }
            if (Posix.killGroup(pid, sig)) {
                lastSignal = sig;
                log.info("mlet {} (pid {}): sent {}", name, pid, ExitStatus.signalName(sig));
            }
        }
    }

    /** The last signal sent to stop the process; 0 when none was. Loop only. */
    int lastSignal() {
        return lastSignal;
    }

    /** How long the process ran (so far, while it runs). Loop only. */
    Duration runTime() {
        return Duration.ofNanos((status != null ? endNanos : System.nanoTime()) - startNanos);
    }

    CapturedOutput stdout() {
        return output(0);
    }

    CapturedOutput stderr() {
        return output(1);
    }

    private CapturedOutput output(int stream) {
        return captures[stream] != null ? captures[stream].output() : CapturedOutput.NONE;
    }
}
