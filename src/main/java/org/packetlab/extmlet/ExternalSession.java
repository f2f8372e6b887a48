package org.packetlab.extmlet;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.packetlab.mlet.SessionSink;
import org.packetlab.mlet.SessionTransport;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Message;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.PacketLabFrameDecoder;
import org.packetlab.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint session served by an external mlet: the relay between the endpoint (a
 * {@link SessionTransport} and the {@link SessionSink} it feeds) and the mlet's fd 0, as the
 * reference manager relays (spec/agents.md §A.4.4, §A.6): messages are decoded and re-encoded in
 * both directions, {@code linfo} is not passed on, EOF on either side ends both.
 *
 * <pre>
 *   endpoint ──sink()──▶ encode ──▶ link ══ fd 0 ══▶ mlet process
 *   endpoint ◀──send()── decode ◀── link ◀═ fd 0 ═══ mlet process
 * </pre>
 *
 * <p>The session is over, and {@link #outcome()} completes, when the link is closed and the
 * process has ended (in singleton mode: when the link is closed). An mlet that outstays its
 * session by the grace period gets SIGTERM, and SIGKILL one grace period later.
 *
 * <p>Thread-safe: every change of state happens on the link's event loop.
 */
public final class ExternalSession {
    private static final Logger log = LoggerFactory.getLogger(ExternalSession.class);

    private final ExternalMlet mlet;
    private final SessionTransport transport;
    private final EventLoop loop;
    private final SingletonMlet singleton;
    private final String epaddr;
    private final String who;
    private final CompletableFuture<MletReport> outcome = new CompletableFuture<>();
    private final SessionSink sink = new Sink();

    // on the loop
    private Channel link;
    private MletProcess process;
    private boolean launched;         // the mlet end reached a process (or the attempt failed)
    private boolean processDone;      // default mode: the process has ended (or could not start)
    private ExitStatus exit;
    private boolean linkClosed;
    private Throwable sessionCause;   // why the endpoint session ended, when it broke
    private String problem;           // the first failure the manager saw
    private Throwable problemCause;
    private ScheduledFuture<?> exitTimer;
    private long toEndpoint;
    private long toMlet;
    private long startNanos;
    private long endNanos;

    ExternalSession(ExternalMlet mlet, SessionTransport transport, EventLoop loop, SingletonMlet singleton) {
        this.mlet = mlet;
        this.transport = transport;
        this.loop = loop;
        this.singleton = singleton;
        this.epaddr = epaddr(transport.remoteAddress());
        this.who = "endpoint " + (epaddr.isEmpty() ? "(no address)" : epaddr);
    }

    /** The endpoint's IP address as the mlet gets it in {@code EPADDR} ({@code inet_ntop} text); empty when unknown. */
    static String epaddr(InetSocketAddress address) {
        return address == null || address.getAddress() == null ? "" : NetUtil.toAddressString(address.getAddress());
    }

    /** What the manager feeds the endpoint's messages to. Its methods never block. */
    public SessionSink sink() {
        return sink;
    }

    /**
     * Completes when the session is over: with the mlet's report when it ended well (exit 0), or
     * with an {@link ExternalMletException} saying what went wrong.
     */
    public CompletionStage<MletReport> outcome() {
        return outcome.minimalCompletionStage();
    }

    /** The {@code EPADDR} given to the mlet; empty when the endpoint address is unknown. */
    public String epaddr() {
        return epaddr;
    }

    /** Stops serving: closes the link and the session and stops the process (SIGTERM, SIGKILL after the grace period). */
    public void cancel() {
        onLoop(() -> {
            if (outcome.isDone()) {
                return;
            }
            problem("was cancelled", null);
            if (process != null) {
                process.terminate();
            }
            if (link != null) {
                link.close();
            }
            transport.close();
        });
    }

    /** Opens the link and starts the process (or hands the link to the singleton). Called once, by the host. */
    void begin() {
        onLoop(this::open);
    }

    private void open() {
        startNanos = System.nanoTime();
        Posix.SocketPair pair;
        try {
            pair = Posix.socketPair();
        } catch (IOException e) {
            launchFailed(e);
            return;
        }
        try {
            link = DomainSockets.wrap(pair.managerEnd(), loop, new PacketLabFrameDecoder(mlet.maxMessageBody()),
                    PacketLabCodec.INSTANCE, new LinkHandler(new Relay()));
        } catch (IOException e) {
            Posix.close(pair.mletEnd());
            launchFailed(e);
            return;
        }
        // what the endpoint sends waits here while the mlet does not read; past the limit the session fails
        link.config().setWriteBufferWaterMark(new WriteBufferWaterMark((int) (mlet.queueLimit() / 2), (int) mlet.queueLimit()));
        if (singleton != null) {
            launched = true;
            singleton.hand(pair.mletEnd(), epaddr).whenComplete((ok, e) -> {
                if (e != null) {
                    onLoop(() -> {
                        problem("could not be handed the endpoint: " + e.getMessage(), e);
                        link.close();
                    });
                }
            });
        } else {
            // posix_spawn waits for the child's exec: not on the loop
            Thread.ofVirtual().name("pktlab-mlet-spawn").start(() -> spawn(pair.mletEnd()));
        }
    }

    private void spawn(int mletEnd) {
        List<String> env = epaddr.isEmpty() ? List.of() : List.of("EPADDR=" + epaddr);
        MletProcess p;
        try {
            p = MletProcess.start(mlet, env, mletEnd, loop);
        } catch (IOException e) {
            Posix.close(mletEnd);
            onLoop(() -> launchFailed(e));
            return;
        }
        onLoop(() -> {
            // closed on the loop, so the link's EOF cannot overtake the news of the process
            Posix.close(mletEnd);
            spawned(p);
        });
    }

    private void launchFailed(IOException e) {
        launched = true;
        processDone = true;
        problem("could not be started: " + e.getMessage(), e);
        if (link != null) {
            link.close();
        } else {
            linkClosed = true;
        }
        transport.close();
        checkDone();
    }

    private void spawned(MletProcess p) {
        process = p;
        launched = true;
        log.info("{}: mlet {} started, pid {}", who, mlet.name(), p.pid());
        p.ended().whenComplete(this::processEnded);
        if (problem != null) {
            p.terminate();
        } else if (linkClosed) {
            startExitTimer();
        }
    }

    private void processEnded(ExitStatus status, Throwable waitFailure) {
        processDone = true;
        exit = status;
        if (exitTimer != null) {
            exitTimer.cancel(false);
        }
        if (waitFailure != null) {
            problem("could not be waited for: " + waitFailure.getMessage(), waitFailure);
        }
        checkDone();
    }

    /** Relays what the mlet writes and reacts to the link's end. */
    private final class Relay implements LinkHandler.Listener {
        @Override
        public void fromMlet(Message m) {
            transport.send(m);
            toEndpoint++;
        }

        @Override
        public void linkFailed(Throwable cause) {
            if (cause instanceof IOException && !(cause instanceof WireException)) {
                // a process that ends with input unread resets the socket: its exit status tells how it went
                log.debug("{}: mlet {} link ended: {}", who, mlet.name(), cause.toString());
            } else {
                problem(Failures.linkText(cause), cause);
                if (process != null) {
                    process.terminate();
                }
            }
            transport.close();
        }

        @Override
        public void linkClosed() {
            linkClosed = true;
            endNanos = System.nanoTime();
            transport.close();
            startExitTimer();
            checkDone();
        }
    }

    private void toMlet(Message m) {
        if (linkClosed) {
            return;
        }
        if (m instanceof Linfo l) {
            log.info("{}: linfo {} (aux {}) consumed, not relayed to the mlet: {}", who, l.name(), ByteBufUtil.hexDump(l.aux()),
                    new String(l.info(), StandardCharsets.ISO_8859_1).strip());
            return;
        }
        link.writeAndFlush(m);
        toMlet++;
        // a link that is closing is not writable either: only a live one with too much waiting is the mlet's fault
        if (link.isActive() && !link.isWritable()) {
            problem("did not read its fd 0: over " + mlet.queueLimit() + " bytes from the endpoint were waiting", null);
            if (process != null) {
                process.terminate();
            }
            link.close();
        }
    }

    private void sessionEnded(Throwable cause) {
        sessionCause = cause;
        if (link != null) {
            link.close();
        }
    }

    private void startExitTimer() {
        if (exitTimer != null || process == null || processDone) {
            return;
        }
        Duration grace = mlet.grace();
        exitTimer = loop.schedule(() -> {
            if (!processDone) {
                problem("did not exit within " + grace.toMillis() + " ms after its session ended", null);
                process.terminate();
            }
        }, grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void checkDone() {
        if (outcome.isDone() || !linkClosed || !launched || (singleton == null && !processDone)) {
            return;
        }
        MletReport report = new MletReport(mlet.name(), epaddr, process == null ? 0 : process.pid(), Optional.ofNullable(exit),
                process == null ? CapturedOutput.NONE : process.stdout(), process == null ? CapturedOutput.NONE : process.stderr(),
                process != null ? process.runTime() : Duration.ofNanos(endNanos - startNanos), toEndpoint, toMlet);
        String what = problem;
        if (what == null && exit != null && !exit.isSuccess()) {
            what = Failures.exitText(exit) + (toEndpoint == 0 ? " before sending a message" : "")
                    + (sessionCause != null ? " after the endpoint session broke (" + sessionCause.getMessage() + ")" : "");
        }
        if (what == null) {
            log.info("{}: mlet {} done, {}", who, mlet.name(), exit != null ? exit : toEndpoint + " messages sent");
            outcome.complete(report);
        } else {
            ExternalMletException e = new ExternalMletException("mlet " + mlet.name() + " " + what
                    + Failures.killNote(process == null ? 0 : process.lastSignal()) + Failures.stderrNote(report.stderr()),
                    report, problemCause);
            log.warn("{}: {}", who, e.getMessage());
            outcome.completeExceptionally(e);
        }
    }

    private void problem(String what, Throwable cause) {
        if (problem == null) {
            problem = what;
            problemCause = cause;
        }
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("{}: its host is closed; a session event was dropped", who);
        }
    }

    private final class Sink implements SessionSink {
        @Override
        public void onMessage(Message m) {
            onLoop(() -> toMlet(m));
        }

        @Override
        public void onClosed(Throwable cause) {
            onLoop(() -> sessionEnded(cause));
        }
    }
}
