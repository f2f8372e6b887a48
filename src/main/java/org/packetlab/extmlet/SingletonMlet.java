package org.packetlab.extmlet;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one process of a singleton-mode run (spec/agents.md §A.6.2): started with fd 0 = a control
 * socket and an empty environment; each endpoint's link is passed to it with one
 * {@code sendmsg} carrying the descriptor (SCM_RIGHTS) and the endpoint address, NUL-terminated.
 * EOF on the control socket (after {@link #finish()}) tells it that no endpoint follows.
 *
 * <p>The manager never expects data on the control socket: any byte the process writes there
 * is fatal to it, and its closing the socket ends the run's intake.
 */
final class SingletonMlet {
    private static final Logger log = LoggerFactory.getLogger(SingletonMlet.class);

    /** A link to pass, or (fd -1) the end of intake. */
    private record Handoff(int fd, byte[] payload, CompletableFuture<Void> sent) {}

    private static final Handoff END = new Handoff(-1, new byte[0], new CompletableFuture<>());

    private final ExternalMlet mlet;
    private final MletProcess process;
    private final EventLoop loop;
    private final int control;
    private final BlockingQueue<Handoff> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> controlEnded = new CompletableFuture<>();
    private final CompletableFuture<MletReport> ended = new CompletableFuture<>();
    private final Thread sender;
    private final Thread reader;
    private volatile String problem; // the first failure, for the report
    private volatile IOException sendFailure;
    private volatile boolean intakeClosed; // the sender has ended: nothing queued is taken any more
    private ScheduledFuture<?> exitTimer; // on the loop

    private SingletonMlet(ExternalMlet mlet, MletProcess process, EventLoop loop, int control) {
        this.mlet = mlet;
        this.process = process;
        this.loop = loop;
        this.control = control;
        this.sender = Thread.ofPlatform().daemon().name("pktlab-singleton-send-" + process.pid()).unstarted(this::send);
        this.reader = Thread.ofPlatform().daemon().name("pktlab-singleton-control-" + process.pid()).unstarted(this::watchControl);
    }

    /** Starts the singleton process of {@code mlet}. */
    static SingletonMlet start(ExternalMlet mlet, EventLoop loop) throws IOException {
        Posix.SocketPair pair = Posix.socketPair();
        MletProcess process;
        try {
            process = MletProcess.start(mlet, List.of(), pair.mletEnd(), loop);
        } catch (IOException e) {
            Posix.close(pair.managerEnd());
            throw e;
        } finally {
            Posix.close(pair.mletEnd());
        }
        SingletonMlet s = new SingletonMlet(mlet, process, loop, pair.managerEnd());
        log.info("singleton mlet {} started (pid {})", mlet.name(), process.pid());
        process.ended().whenComplete(s::processEnded);
        s.sender.start();
        s.reader.start();
        return s;
    }

    /**
     * Queues the link {@code fd} of the endpoint at {@code epaddr} for the process; {@code fd} is
     * closed once sent (or once the send failed). Completes when the process has it.
     */
    CompletionStage<Void> hand(int fd, String epaddr) {
        byte[] text = epaddr.getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[text.length + 1]; // the address with its terminating NUL
        System.arraycopy(text, 0, payload, 0, text.length);
        Handoff h = new Handoff(fd, payload, new CompletableFuture<>());
        queue.add(h);
        // the sender may have ended its intake meanwhile: then nobody takes h but us
        if (intakeClosed && queue.remove(h)) {
            Posix.close(fd);
            h.sent.completeExceptionally(new IOException("the singleton mlet's intake is closed"));
        }
        return h.sent;
    }

    private void send() {
        try {
            for (Handoff h; (h = queue.take()) != END; ) {
                try {
                    if (sendFailure != null) {
                        throw sendFailure;
                    }
                    Posix.sendDescriptor(control, h.fd, h.payload);
                    h.sent.complete(null);
                } catch (IOException e) {
                    sendFailure = sendFailure != null ? sendFailure : new IOException("the singleton mlet takes no more endpoints: " + e.getMessage(), e);
                    h.sent.completeExceptionally(sendFailure);
                } finally {
                    Posix.close(h.fd);
                }
            }
            Posix.shutdown(control, LibC.SHUT_WR);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        intakeClosed = true;
        for (Handoff h; (h = queue.poll()) != null; ) {
            if (h != END) {
                Posix.close(h.fd);
                h.sent.completeExceptionally(new IOException("the singleton mlet's intake is closed"));
            }
        }
    }

    private void watchControl() {
        byte[] buf = new byte[256];
        try {
            int n = Posix.read(control, buf);
            if (n > 0) {
                fail("wrote " + n + " byte(s) on its control socket, where it must never write");
            } else {
                log.info("singleton mlet {} (pid {}) closed its control socket: no more endpoints", mlet.name(), process.pid());
            }
        } catch (IOException e) {
            fail("control socket failed: " + e.getMessage());
        }
        controlEnded.complete(null);
    }

    private void fail(String what) {
        if (problem == null) {
            problem = what;
        }
        log.warn("singleton mlet {} (pid {}) {}: stopping it", mlet.name(), process.pid(), what);
        process.terminate();
    }

    /** No more endpoints: the process gets EOF on its control socket and has the grace period to exit. */
    void finish() {
        queue.add(END);
        loop.execute(() -> {
            if (exitTimer == null && !process.hasEnded()) {
                exitTimer = loop.schedule(() -> {
                    if (!process.hasEnded()) {
                        fail("did not exit within " + mlet.grace().toMillis() + " ms after the last endpoint");
                    }
                }, mlet.grace().toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Stops the process now (SIGTERM, SIGKILL after the grace period). */
    void kill() {
        if (problem == null) {
            problem = "was stopped";
        }
        process.terminate();
    }

    /** Completes when the process has closed its control socket (or written to it): no endpoint can be passed after that. */
    CompletionStage<Void> controlEnded() {
        return controlEnded;
    }

    /** Completes when the process has ended: normally for exit 0, else with an {@link ExternalMletException}. */
    CompletionStage<MletReport> ended() {
        return ended;
    }

    private void processEnded(ExitStatus status, Throwable waitFailure) {
        if (exitTimer != null) {
            exitTimer.cancel(false);
        }
        MletReport report = new MletReport(mlet.name(), "", process.pid(), Optional.ofNullable(status), process.stdout(),
                process.stderr(), process.runTime(), 0, 0);
        log.info("singleton mlet {} (pid {}) ended: {}", mlet.name(), process.pid(),
                status != null ? status : waitFailure.getMessage());
        // the reader and sender end on their own: EOF (or a shutdown) ends the read, END the sending
        Posix.shutdown(control, LibC.SHUT_RDWR);
        String what = problem != null ? problem : waitFailure != null ? "could not be waited for: " + waitFailure.getMessage()
                : !status.isSuccess() ? Failures.exitText(status) : null;
        if (what == null) {
            ended.complete(report);
        } else {
            ended.completeExceptionally(new ExternalMletException("singleton mlet " + mlet.name() + " " + what
                    + Failures.killNote(process.lastSignal()) + Failures.stderrNote(report.stderr()), report, waitFailure));
        }
    }

    /** Waits for the two control threads and closes the control socket. */
    void closeControl(long millis) throws InterruptedException {
        queue.add(END);
        Posix.shutdown(control, LibC.SHUT_RDWR);
        sender.join(millis);
        reader.join(millis);
        Posix.close(control);
    }
}
