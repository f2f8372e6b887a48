package org.packetlab.bench;

import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.packetlab.config.PktlabHome;
import org.packetlab.lab.Lab;
import org.packetlab.manager.Manager;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.TcpSocket;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.wire.Vmem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PacketLab benchmark: mread round trips, a bulk download through ndata and concurrent
 * sessions on an embedded {@link Lab}, each against a direct TLS 1.3 baseline ({@link TlsBaseline})
 * measured in the same run.
 *
 * <pre>{@code
 * List<Figure> figures = Bench.builder().rounds(10_000).mib(64).sessions(List.of(10, 100)).build().run(System.err::println);
 * }</pre>
 */
public final class Bench {
    /** An mread request frame and its mdata reply are about this size on the wire (8 bytes of TIME plus headers). */
    static final int PING_BYTES = 16;
    private static final long MIB = 1L << 20;
    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);
    /** How long the concurrent figure waits for every session to be set up or to fail: this plus {@link #SETTLE_PER_SESSION} each. */
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_PER_SESSION = Duration.ofMillis(50);
    /** Set-ups under way at once in the concurrent figure: enough to keep both cores busy, few enough that none waits into a timeout. */
    static final int SETUPS_IN_FLIGHT = 64;
    /** Untimed sessions run first, so that both JVMs meet the timed figures with the JIT warmed up. */
    private static final int WARM_UP_SESSIONS = 100;
    /** mreads per untimed warm-up run. */
    private static final int WARM_UP_BATCH = 1000;
    /** Alternating timed sets of the mread figure, per side. */
    private static final int SETS = 3;
    /** Alternating timed downloads of the download figure, per side. */
    private static final int DOWNLOADS = 5;
    /** The untimed run of each side before the mread and download figures. */
    public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(10);
    /** The most endpoints of the concurrent figure. */
    public static final int MAX_SESSIONS = 10_000;
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.packetlab";
    private static final Logger log = LoggerFactory.getLogger(Bench.class);

    private final int rounds;
    private final int mib;
    private final List<Integer> sessions;
    private final Duration warmUp;

    private Bench(Builder b) {
        this.rounds = b.rounds;
        this.warmUp = b.warmUp;
        this.mib = b.mib;
        this.sessions = List.copyOf(b.sessions);
    }

    /** A benchmark with 10 000 rounds, 64 MiB, 10 s of warm-up and 10, 100, 1000 sessions unless told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs every figure, telling {@code progress} what it starts, and returns the figures in order. */
    public List<Figure> run(Consumer<String> progress) throws IOException, InterruptedException {
        List<Figure> figures = new ArrayList<>();
        try (Lab lab = Lab.local().endpoints(1).start(); TlsBaseline tls = TlsBaseline.of(lab.home())) {
            figures.addAll(mreadFigures(lab, tls, progress));
            figures.add(downloadFigure(lab, tls, progress));

            progress.accept("session setup baseline: TLS handshakes");
            int handshakes = 50;
            for (int i = 0; i < handshakes / 2; i++) {
                tls.pingPong(0, 1, PING_BYTES, PING_BYTES); // untimed: the JIT warms up the handshake code first
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < handshakes; i++) {
                tls.pingPong(0, 1, PING_BYTES, PING_BYTES);
            }
            double handshakesPerSecond = handshakes / ((System.nanoTime() - t0) / 1e9);
            if (!sessions.isEmpty()) {
                int most = sessions.stream().mapToInt(Integer::intValue).max().orElseThrow();
                try (ChildJvm fleet = startFleet(lab.home(), most)) {
                    progress.accept("concurrent sessions: warm-up with " + Math.min(most, WARM_UP_SESSIONS));
                    concurrent(fleet, lab.home(), Math.min(most, WARM_UP_SESSIONS), handshakesPerSecond);
                    for (int n : sessions) {
                        progress.accept("concurrent sessions: " + n);
                        figures.addAll(concurrent(fleet, lab.home(), n, handshakesPerSecond));
                    }
                }
            }
        }
        return figures;
    }

    /**
     * mread round-trip percentiles against the TLS ping-pong, both at steady state: each side first
     * runs for the warm-up time (the JIT compiles our path in about 30 000 mreads here, and the
     * baseline shares the JDK's TLS code with it, so timing one cold and the other warm is unfair),
     * then {@link #SETS} alternating sets of a third of the rounds, so that drift of the machine's
     * load falls on both sides alike.
     */
    private List<Figure> mreadFigures(Lab lab, TlsBaseline tls, Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("mread round trips: warm-up " + warmUp.toSeconds() + " s each side, then " + rounds + " each side");
        repeatFor(warmUp, () -> only(lab.run(ep -> mreads(ep, WARM_UP_BATCH), RUN_LIMIT)));
        repeatFor(warmUp, () -> tls.pingPong(0, WARM_UP_BATCH, PING_BYTES, PING_BYTES));
        int perSet = Math.max(1, rounds / SETS);
        long[] ours = new long[perSet * SETS];
        long[] base = new long[perSet * SETS];
        for (int set = 0; set < SETS; set++) {
            System.arraycopy(only(lab.run(ep -> mreads(ep, perSet), RUN_LIMIT)), 0, ours, set * perSet, perSet);
            System.arraycopy(tls.pingPong(0, perSet, PING_BYTES, PING_BYTES), 0, base, set * perSet, perSet);
        }
        Latencies o = Latencies.of(ours);
        Latencies b = Latencies.of(base);
        List<Figure> figures = new ArrayList<>();
        for (int p : new int[] {50, 99}) {
            figures.add(new Figure("mread round trip p" + p, "µs", o.percentileMicros(p), b.percentileMicros(p),
                    "TLS 1.3 ping-pong", "≤ 2x", false));
        }
        return figures;
    }

    /** Nanoseconds of each of {@code n} sequential mreads of the endpoint's clock. */
    private static long[] mreads(EndpointSession ep, int n) throws IOException {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            ep.mread(Vmem.SYSPARAM_TIME, 8);
            nanos[i] = System.nanoTime() - t0;
        }
        return nanos;
    }

    /**
     * Download throughput against one TLS transfer, both at steady state: the warm-up time of
     * repeated downloads each side, then {@link #DOWNLOADS} alternating timed downloads; the
     * figure compares the medians.
     */
    private Figure downloadFigure(Lab lab, TlsBaseline tls, Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("download: " + mib + " MiB, warm-up " + warmUp.toSeconds() + " s each side, then " + DOWNLOADS + " each side");
        long bytes = mib * MIB;
        InetSocketAddress web = lab.httpTarget();
        repeatFor(warmUp, () -> only(lab.run(ep -> download(ep.tcp(web), bytes), RUN_LIMIT)));
        repeatFor(warmUp, () -> tls.download(bytes));
        long[] ours = new long[DOWNLOADS];
        long[] base = new long[DOWNLOADS];
        for (int i = 0; i < DOWNLOADS; i++) {
            ours[i] = only(lab.run(ep -> download(ep.tcp(web), bytes), RUN_LIMIT));
            base[i] = tls.download(bytes);
        }
        double oursMBps = bytes / (Latencies.of(ours).percentileMicros(50));
        double baseMBps = bytes / (Latencies.of(base).percentileMicros(50));
        return new Figure("download " + mib + " MiB via ndata", "MB/s", oursMBps, baseMBps, "TLS 1.3 transfer", "≥ 0.5x", true);
    }

    /** One untimed step of a warm-up. */
    private interface WarmUpStep {
        void run() throws IOException, InterruptedException;
    }

    /** Runs {@code step} again and again until {@code time} has passed (not at all when it is zero). */
    private static void repeatFor(Duration time, WarmUpStep step) throws IOException, InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() - end < 0) {
            step.run();
        }
    }

    /** Nanoseconds from the socket's opening to the last byte of {@code bytes} body bytes of /bytes/N. */
    private static long download(TcpSocket socket, long bytes) throws IOException {
        long t0 = System.nanoTime();
        try (socket) {
            socket.awaitConnected();
            socket.send(("GET /bytes/" + bytes + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            long length = 0;
            try {
                while (true) {
                    length += socket.receive().data().length; // counted and dropped, as the baseline's receiver does
                }
            } catch (EOFException closed) {
                // the target closed after the body: the transfer is complete
            }
            if (length < bytes) {
                throw new IOException("download received " + length + " bytes, fewer than the " + bytes + " body bytes");
            }
        }
        return System.nanoTime() - t0;
    }

    /** A child JVM with {@code n} endpoints of {@code home} ({@link EndpointFleet}), built and ready. */
    private static ChildJvm startFleet(PktlabHome home, int n) throws IOException {
        List<String> jvm = new ArrayList<>();
        String logLevel = System.getProperty(LOG_LEVEL_PROPERTY);
        if (logLevel != null) {
            jvm.add("-D" + LOG_LEVEL_PROPERTY + "=" + logLevel);
        }
        ChildJvm fleet = ChildJvm.start(EndpointFleet.class, jvm, List.of(home.dir().toString(), Integer.toString(n)));
        try {
            fleet.expect("ready");
            return fleet;
        } catch (IOException e) {
            fleet.close();
            throw e;
        }
    }

    /**
     * Sessions/s and heap per session with {@code n} endpoints of the fleet, all sessions held open at
     * once for the heap measure. The endpoints run in a child JVM, so the heap measured here is the
     * manager's alone, and each process holds one socket per session; at most
     * {@link #SETUPS_IN_FLIGHT} set-ups are under way at a time. Sessions that fail are counted, not
     * fatal: under load some do, and that is a figure.
     */
    private static List<Figure> concurrent(ChildJvm fleet, PktlabHome home, int n, double handshakesPerSecond)
            throws IOException, InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(memory);
        Manager manager = Manager.builder().config(home.xpmgrConf().config())
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).attempts(n).build();
        InetSocketAddress address = manager.boundAddress();
        try (manager) {
            fleet.send("target " + address.getHostString() + " " + address.getPort());
            AtomicInteger arrived = new AtomicInteger();
            CountDownLatch settled = new CountDownLatch(n);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean timing = new AtomicBoolean(true);
            int first = Math.min(n, SETUPS_IN_FLIGHT);
            AtomicInteger requested = new AtomicInteger(first);
            Runnable next = () -> {
                settled.countDown();
                // sessions ending with the run must not start endpoints of the next round, and the
                // fleet is larger than the round: ask for no more endpoints than the round's n
                if (!timing.get() || requested.getAndIncrement() >= n) {
                    return;
                }
                try {
                    fleet.send("connect 1");
                } catch (IOException e) {
                    // the fleet has ended: the wait below is bounded and the count tells
                    log.warn("endpoint fleet gone: {}", e.toString());
                }
            };
            long t0 = System.nanoTime();
            Run<Boolean> run = manager.start(ep -> {
                ep.mread(Vmem.SYSPARAM_TIME, 8);
                arrived.incrementAndGet();
                next.run();
                return release.await(RUN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            }, new RunListener<Boolean>() {
                @Override
                public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends Boolean> result) {
                    next.run();
                }

                @Override
                public void sessionFailed(EndpointRef endpoint, EndpointResult<? extends Boolean> result) {
                    next.run();
                }
            });
            fleet.send("connect " + first);
            // endpoints whose TLS the manager never saw report nowhere: the wait is bounded
            settled.await(SETTLE_LIMIT.plus(SETTLE_PER_SESSION.multipliedBy(n)).toMillis(), TimeUnit.MILLISECONDS);
            timing.set(false);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int ok = arrived.get();
            long held = usedHeapAfterGc(memory);
            release.countDown();
            run.stop();
            run.await();
            return List.of(
                    new Figure(n + " concurrent sessions, " + ok + " ok, set up + mread", "sessions/s", ok / seconds,
                            handshakesPerSecond, "sequential TLS handshakes/s", "10 000 ok", true),
                    new Figure("manager heap per session at " + n, "KiB", ok == 0 ? Double.NaN : (held - before) / 1024.0 / ok,
                            Double.NaN, "-", "-", false));
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static <T> T only(Results<T> results) throws IOException {
        if (results.size() != 1 || !results.get(0).isOk()) {
            throw new IOException("benchmark mlet failed: " + results.summary());
        }
        return results.get(0).value();
    }

    /** Settings of a {@link Bench}; each setter checks its argument at once. */
    public static final class Builder {
        private int rounds = 10_000;
        private int mib = 64;
        private List<Integer> sessions = List.of(10, 100, 1000);
        private Duration warmUp = DEFAULT_WARM_UP;

        private Builder() {}

        /**
         * How long each side of the mread and download figures runs untimed before it is measured
         * (default 10 s): the JIT needs that long here to bring both to steady state; zero measures cold.
         */
        public Builder warmUp(Duration time) {
            if (Objects.requireNonNull(time, "time").isNegative()) {
                throw new IllegalArgumentException("warm-up " + time + " is negative");
            }
            this.warmUp = time;
            return this;
        }

        /** How many sequential mreads to time on each side, in three alternating sets. */
        public Builder rounds(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("rounds " + n + " is not positive");
            }
            this.rounds = n;
            return this;
        }

        /** How many MiB to download. */
        public Builder mib(int n) {
            if (n < 1 || n * MIB > org.packetlab.lab.HttpTarget.MAX_BULK_BYTES) {
                throw new IllegalArgumentException("mib " + n + " is not in 1.." + org.packetlab.lab.HttpTarget.MAX_BULK_BYTES / MIB);
            }
            this.mib = n;
            return this;
        }

        /** The endpoint counts for the concurrent-session figures, each in 1..{@link #MAX_SESSIONS}. */
        public Builder sessions(List<Integer> counts) {
            for (int n : Objects.requireNonNull(counts, "counts")) {
                if (n < 1 || n > MAX_SESSIONS) {
                    throw new IllegalArgumentException("sessions " + n + " is not in 1.." + MAX_SESSIONS);
                }
            }
            this.sessions = List.copyOf(counts);
            return this;
        }

        public Bench build() {
            return new Bench(this);
        }
    }
}
