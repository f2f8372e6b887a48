package org.packetlab.manager;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.ExpExec;
import org.packetlab.config.XpmgrConf;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.MletReport;
import org.packetlab.mlet.EndpointSessions;
import org.packetlab.mlet.Mlet;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.results.Results;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Program;
import org.packetlab.wire.WireCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An experiment manager (spec/agents.md §A): it listens for endpoints (or, in proxy mode, keeps
 * backlog connections registered with a proxy, §A.7), authenticates
 * them over PacketLab TLS with the identity their SNI names, submits the monitor programs their
 * chain requires, starts the session, reads the endpoint's host id, and hands each session to the
 * mlet of the current {@link Run}.
 *
 * <pre>{@code
 * try (Manager m = Manager.builder().config(conf).attempts(3).build()) {
 *     Results<String> r = m.run(ep -> ep.hostId());
 * }
 * }</pre>
 *
 * <h2>Must be closed</h2>
 * A manager listens from {@link Builder#build()} until {@link #close()}, which stops accepting, lets
 * running mlets finish for the stop timeout, cancels what is left, and ends every thread the
 * manager started.
 *
 * <h2>Runs</h2>
 * One run at a time. Between runs the manager accepts nobody: endpoints wait in the listen backlog.
 * Each run admits endpoints while {@code in set-up + set up < attempts} and is over when that many
 * sessions were set up and have ended, or when it is stopped. Endpoints whose host id does not
 * match the pattern are closed and not counted. One endpoint's failure never disturbs another.
 */
public final class Manager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Manager.class);

    /** The reference's listen port. */
    public static final int DEFAULT_PORT = 20556;

    private final Builder settings;
    private final EventLoops loops;
    private final Greeter greeter;
    private final ChannelGroup channels = new DefaultChannelGroup("pktlab-manager", ImmediateEventExecutor.INSTANCE);
    private final AtomicLong ids = new AtomicLong();
    private final Object lock = new Object();
    private ManagerRun<?> current; // guarded by lock
    private boolean closed;        // guarded by lock

    private Manager(Builder b) throws IOException {
        this.settings = new Builder(b);
        if (settings.proxy.proxy().isPresent() && settings.publicationAddress.isEmpty()) {
            // spec/agents.md §B.5.3: in proxy mode endpoints come to the proxy host's default port
            settings.publicationAddress = Optional.of(AgentAddress.of(settings.proxy.proxy().get().host()));
        }
        // the handshake is part of the set-up phase, whose deadline (naming the phase) must fire first:
        // TLS's own limit is only a backstop; a burst of endpoints may wait most of the phase in the queue
        PpksTls.ServerBuilder tls = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .handshakeTimeout(settings.setupTimeout.plusSeconds(1));
        Map<String, List<Cdata>> cdata = new HashMap<>();
        List<Cdata> defaultCdata = List.of();
        for (Identity id : settings.identities) {
            tls.entry(id.snikey(), id.tls(), id.trustedRoots());
            List<Cdata> programs = programsFor(id);
            cdata.put(id.snikey().value(), programs);
            if (id.isDefault()) {
                tls.defaultEntry(id.tls(), id.trustedRoots());
                defaultCdata = programs;
            }
        }
        SetupPlan plan = new SetupPlan(cdata, defaultCdata, settings.hostId, settings.setupTimeout);
        ManagerInitializer initializer = new ManagerInitializer(tls.build(), plan, settings.maxFrameBody);

        loops = new EventLoops(settings.eventLoopThreads);
        try {
            greeter = settings.proxy.proxy().isPresent()
                    ? new ProxyGreeter(loops, this, initializer, settings.proxy,
                            settings.proxy.proxy().get().resolve(AgentAddress.DefaultPort.PROXY),
                            settings.identities.stream().map(Identity::snikey).toList())
                    : new ListenGreeter(loops, new AcceptGate(this), initializer, settings.listen, settings.backlog);
        } catch (IOException e) {
            loops.shutdown();
            throw e;
        }
        log.info("manager {} {} with {} identit{}", greeter instanceof ProxyGreeter ? "registered with proxy" : "listening on",
                greeter.address(), settings.identities.size(), settings.identities.size() == 1 ? "y" : "ies");
    }

    private List<Cdata> programsFor(Identity id) {
        List<Cdata> out = new ArrayList<>();
        for (Digest d : id.monitorDigests()) {
            Optional<Program> p = settings.programs.get(d);
            if (p.isPresent()) {
                out.add(Cdata.monitor(p.get()));
            } else {
                log.warn("identity {}: the chain names monitor {} but no program has that digest: endpoints will refuse start",
                        id.snikey(), d.hex());
            }
        }
        return out;
    }

    /** A builder with the reference's defaults; at least one identity must be given. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this manager's settings, to build another manager. */
    public Builder newBuilder() {
        return new Builder(settings);
    }

    /**
     * The address the manager listens on (with the actual port when the builder asked for port 0);
     * in proxy mode, the proxy's setup address it registers with.
     */
    public InetSocketAddress boundAddress() {
        return greeter.address();
    }

    /** The proxy the manager registers backlog connections with (spec/agents.md §A.7); empty in listen mode. */
    public Optional<AgentAddress> proxy() {
        return settings.proxy.proxy();
    }

    /** The identities offered to endpoints. */
    public List<Identity> identities() {
        return settings.identities;
    }

    /** The address to publish as {@code controller_addr}, when one was set (else the listen address is published). */
    public Optional<AgentAddress> publicationAddress() {
        return settings.publicationAddress;
    }

    /** How runs publish through a broker; empty when the manager does not publish. */
    public Optional<PublicationSettings> publication() {
        return settings.publication;
    }

    /** The host id pattern endpoints must match; empty = every endpoint. */
    public Optional<String> hostIdPattern() {
        return settings.hostId;
    }

    /** How many sessions a run sets up at most ({@link Long#MAX_VALUE} = no limit). */
    public long attempts() {
        return settings.attempts;
    }

    /**
     * Runs {@code mlet} on every endpoint of one run and returns the results: blocks until the
     * attempt count was reached and those sessions ended, or until the run is stopped (from another
     * thread through {@link #close()}). Interrupting the calling thread cancels the run.
     *
     * @throws IllegalStateException when the manager is closed or a run is in progress
     * @throws InterruptedException  when interrupted (the run is cancelled first)
     */
    public <T> Results<T> run(Mlet<T> mlet) throws InterruptedException {
        return awaitOrCancel(start(mlet, RunListener.none()), null);
    }

    /**
     * Like {@link #run(Mlet)}, but for at most {@code maxWait}: then the run is cancelled (running
     * mlets interrupted, their sessions recorded as CANCELLED) and the results so far are returned.
     */
    public <T> Results<T> run(Mlet<T> mlet, Duration maxWait) throws InterruptedException {
        Objects.requireNonNull(maxWait, "maxWait");
        return awaitOrCancel(start(mlet, RunListener.none()), maxWait);
    }

    private static <T> Results<T> awaitOrCancel(Run<T> run, Duration maxWait) throws InterruptedException {
        try {
            if (maxWait == null) {
                return run.await();
            }
            Optional<Results<T>> done = run.await(maxWait);
            if (done.isPresent()) {
                return done.get();
            }
            run.cancel();
            return run.await();
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    /**
     * Starts a run of {@code mlet} and returns at once; {@code listener} hears of every endpoint as
     * it happens (for live tables), {@link Run#await()} gives the results.
     *
     * @throws IllegalStateException when the manager is closed or a run is in progress
     */
    public <T> Run<T> start(Mlet<T> mlet, RunListener<? super T> listener) {
        Objects.requireNonNull(mlet, "mlet");
        return startHosted(new JavaMletHost<>(mlet, settings.sessions.deadlines(loops.deadlines)), listener);
    }

    /**
     * Runs the external mlet {@code mlet} (an executable file: one process per endpoint, or one
     * singleton process) on every endpoint of one run, as {@link #run(Mlet)} runs a Java mlet. An
     * endpoint's value is its process's {@link MletReport}; a failed process is an MLET_FAILED
     * result whose cause, an {@link org.packetlab.extmlet.ExternalMletException}, holds the report.
     * Returns once every process has ended (in singleton mode, the singleton too). Interrupting
     * the calling thread cancels the run: the processes get SIGTERM, then SIGKILL.
     *
     * @throws IOException          when this platform cannot run external mlets or the singleton cannot start
     * @throws IllegalStateException when the manager is closed or a run is in progress
     * @throws InterruptedException  when interrupted (the run is cancelled first)
     */
    public Results<MletReport> run(ExternalMlet mlet) throws IOException, InterruptedException {
        return awaitOrCancel(start(mlet, RunListener.none()), null);
    }

    /**
     * Starts a run of the external mlet {@code mlet} and returns at once (see {@link #run(ExternalMlet)});
     * the run is over once its sessions have ended and every process with them (the singleton too).
     *
     * @throws IOException          when this platform cannot run external mlets or the singleton cannot start
     * @throws IllegalStateException when the manager is closed or a run is in progress
     */
    public Run<MletReport> start(ExternalMlet mlet, RunListener<? super MletReport> listener) throws IOException {
        ProcessMletHost host = ProcessMletHost.start(mlet);
        try {
            return host.attach(startHosted(host, listener));
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /**
     * Starts a run whose sessions are served by {@code host}.
     *
     * @throws IllegalStateException when the manager is closed or a run is in progress
     */
    <T> Run<T> startHosted(MletHost<T> host, RunListener<? super T> listener) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(listener, "listener");
        ManagerRun<T> run = new ManagerRun<>(this, host, listener, settings.attempts);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the manager is closed");
            }
            if (current != null) {
                throw new IllegalStateException("a run is in progress; one run at a time");
            }
            current = run;
        }
        RunPublication publication = settings.publication.map(p -> new RunPublication(this, run, p, settings.identities,
                settings.publicationAddress, settings.hostId)).orElse(null);
        if (publication != null) {
            run.publishWith(publication);
        }
        run.begin();
        if (publication != null) {
            publication.start();
        }
        return run;
    }

    /** Admits an accepted channel into the current run, or returns null. Called on the accept loop. */
    EndpointConnection<?> admit(Channel child) {
        ManagerRun<?> run;
        synchronized (lock) {
            run = current;
        }
        EndpointConnection<?> conn = run == null ? null : run.admit(child, ids::incrementAndGet);
        if (conn != null) {
            channels.add(child);
        }
        return conn;
    }

    /** Opens or closes the listening socket's reads for {@code run}, if it is still the current run. */
    void acceptGate(ManagerRun<?> run, boolean open) {
        synchronized (lock) {
            if (current == run && !closed) {
                greeter.greet(open);
            }
        }
    }

    /** The run is over: the manager accepts nobody until the next run. */
    void runEnded(ManagerRun<?> run) {
        synchronized (lock) {
            if (current == run) {
                current = null;
                greeter.greet(false);
            }
        }
    }

    /** Something the user of the current run should know that concerns no single endpoint (the proxy went away, say). */
    void notice(String text) {
        ManagerRun<?> run;
        synchronized (lock) {
            run = current;
        }
        if (run != null) {
            run.notice(text);
        }
    }

    Future<?> schedule(Runnable task, Duration delay) {
        return loops.accept.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops accepting, lets running mlets finish for at most the stop timeout, cancels what is left,
     * closes every connection and ends the manager's threads. Idempotent. It waits for all that, so
     * call it neither from a {@link RunListener} nor from an mlet.
     */
    @Override
    public void close() {
        ManagerRun<?> run;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            run = current;
            greeter.greet(false);
        }
        if (run != null) {
            run.stop(settings.stopTimeout);
            try {
                if (run.await(settings.stopTimeout.plusSeconds(5)).isEmpty()) {
                    log.warn("run still not over after the stop timeout; closing its connections");
                }
            } catch (InterruptedException e) {
                run.cancel();
                Thread.currentThread().interrupt();
            }
        }
        greeter.close();
        channels.close().awaitUninterruptibly();
        loops.shutdown();
        log.info("manager on {} closed", greeter.address());
    }

    // visible for testing
    boolean threadsEnded() {
        return loops.threadsEnded();
    }

    // visible for testing
    int openChannels() {
        return channels.size() + (greeter.isOpen() ? 1 : 0);
    }

    /**
     * Settings of a {@link Manager}. Each setter checks its argument at once; {@link #build()} checks
     * the whole and starts listening.
     */
    public static final class Builder {
        private List<Identity> identities = List.of();
        private InetSocketAddress listen = new InetSocketAddress(DEFAULT_PORT);
        private Optional<AgentAddress> publicationAddress = Optional.empty();
        private Optional<PublicationSettings> publication = Optional.empty();
        private ProxySettings proxy = ProxySettings.LISTEN;
        private Optional<String> hostId = Optional.empty();
        private long attempts = Long.MAX_VALUE;
        private Programs programs = Programs.NONE;
        private Duration setupTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private int maxFrameBody = DEFAULT_MAX_FRAME_BODY;
        private int backlog = 4096;
        private int eventLoopThreads = 0;
        private EndpointSessions sessions = EndpointSessions.defaults();

        /** The largest {@code TargetBacklogConn} taken from a file (each connection is a socket at both ends). */
        static final int MAX_TARGET_BACKLOG = 4096;

        /** Largest message body accepted from an endpoint: an ndata of 64 KiB with its header fields, with room to spare. */
        public static final int DEFAULT_MAX_FRAME_BODY = 0x20000;

        private Builder() {}

        private Builder(Builder b) {
            identities = b.identities;
            listen = b.listen;
            publicationAddress = b.publicationAddress;
            publication = b.publication;
            proxy = b.proxy;
            hostId = b.hostId;
            attempts = b.attempts;
            programs = b.programs;
            setupTimeout = b.setupTimeout;
            stopTimeout = b.stopTimeout;
            maxFrameBody = b.maxFrameBody;
            backlog = b.backlog;
            eventLoopThreads = b.eventLoopThreads;
            sessions = b.sessions;
        }

        /**
         * Takes identities, program directory and publication address from an {@code xpmgr.conf}
         * (spec/agents.md §A.3): reads the controller key, each {@code ExpExec} entry's chain and EOp
         * keys (verifying the chain against them), and loads the programs. Replaces the identities
         * set so far. Entries with a snikey already taken are skipped with a warning (the first in
         * the file wins, as in the reference).
         *
         * @throws IOException naming the file or entry that does not load
         */
        public Builder config(XpmgrConf conf) throws IOException {
            return config(conf, Ed25519PrivateKey.read(conf.controllerPrivkeyPath()));
        }

        /** {@link #config(XpmgrConf)} with the controller key already read (e.g. decrypted with a passphrase). */
        public Builder config(XpmgrConf conf, Ed25519PrivateKey controllerKey) throws IOException {
            Ed25519PrivateKey key = controllerKey;
            List<Identity> ids = new ArrayList<>();
            Map<Identity, ExpExec> entries = new HashMap<>();
            for (ExpExec e : conf.expExec()) {
                Identity id = Identity.fromExpExec(e, key);
                if (ids.stream().anyMatch(i -> i.snikey().equals(id.snikey()))) {
                    log.warn("ExpExec {}: snikey {} is already used by an earlier entry; skipped", e, id.snikey());
                } else {
                    ids.add(id);
                    entries.put(id, e);
                }
            }
            identities(ids);
            if (conf.programDirPath().isPresent()) {
                programDirectory(conf.programDirPath().get());
            }
            conf.pubControllerAddr().ifPresent(this::publicationAddress);
            if (conf.enableExpPublication()) {
                PublicationSettings.Builder pub = PublicationSettings.fromConfig(conf, key);
                entries.forEach((id, e) -> pub.entry(id.snikey(), new PublicationSettings.Entry(e.pubChannel(), e.overrideXdescr())));
                publication(pub.build());
            }
            proxyConfig(conf, key);
            return this;
        }

        /** The proxy options of {@code conf} (spec/config-files.md §2.3); the proxy's address is not in the file ({@link #proxy}). */
        private void proxyConfig(XpmgrConf conf, Ed25519PrivateKey controllerKey) throws IOException {
            Optional<TlsIdentity> agent = Optional.empty();
            if (conf.backlogConnAgentCertPath().isPresent()) {
                Path file = conf.backlogConnAgentCertPath().get();
                try {
                    agent = Optional.of(TlsIdentity.of(controllerKey, Cert.readAll(file)));
                } catch (CertException | IllegalArgumentException e) {
                    throw new IOException("BacklogConnAgentCertPath " + file + ": " + e.getMessage(), e);
                }
            }
            List<Ed25519PublicKey> roots = new ArrayList<>();
            for (Path p : conf.proxyCertRootPath()) {
                roots.add(Ed25519PublicKey.read(p));
            }
            proxy = proxy.withRequired(conf.enableProxyMode()).withAgent(agent).withProxyRoots(roots)
                    .withTarget(Long.compareUnsigned(conf.targetBacklogConn(), MAX_TARGET_BACKLOG) > 0
                            ? MAX_TARGET_BACKLOG : (int) conf.targetBacklogConn())
                    .withTimeouts(conf.backlogConnTimeout(), conf.bootstrapBacklogTimeout());
        }

        /**
         * Proxy mode (spec/agents.md §A.7, {@code pktxpmgr -a} with {@code EnableProxyMode 1}): instead of
         * listening, the manager keeps backlog connections registered with the proxy at {@code address}
         * (default port {@value org.packetlab.proxy.Proxy#DEFAULT_SETUP_PORT}) for each identity's snikey,
         * and endpoints reach it through the proxy. Unless a publication address is set, the proxy's host
         * is published as {@code controller_addr}.
         */
        public Builder proxy(AgentAddress address) {
            this.proxy = proxy.withProxy(Objects.requireNonNull(address, "address"));
            return this;
        }

        /** The agent certificate and key shown to the proxy ({@code BacklogConnAgentCertPath}); default none. */
        public Builder proxyAgent(TlsIdentity agent) {
            this.proxy = proxy.withAgent(Optional.of(Objects.requireNonNull(agent, "agent")));
            return this;
        }

        /** Keys one of which must have signed the proxy's agent certificate ({@code ProxyCertRootPath}); default none = any. */
        public Builder proxyRoots(Collection<Ed25519PublicKey> roots) {
            this.proxy = proxy.withProxyRoots(List.copyOf(roots));
            return this;
        }

        /** Idle backlog connections to keep per snikey ({@code TargetBacklogConn}, default 2). */
        public Builder targetBacklog(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("target backlog < 1");
            }
            this.proxy = proxy.withTarget(connections);
            return this;
        }

        /** {@code BacklogConnTimeout} (per registration state, default 2 s) and {@code BootstrapBacklogTimeout} (default 5 s). */
        public Builder backlogTimeouts(Duration connection, Duration bootstrap) {
            if (connection.isNegative() || connection.isZero() || bootstrap.isNegative() || bootstrap.isZero()) {
                throw new IllegalArgumentException("backlog timeouts must be > 0");
            }
            this.proxy = proxy.withTimeouts(connection, bootstrap);
            return this;
        }

        /** Replaces the identities; snikeys must differ and at most one may be the default. */
        public Builder identities(Collection<Identity> identities) {
            List<Identity> copy = List.copyOf(identities);
            if (copy.stream().map(Identity::snikey).distinct().count() != copy.size()) {
                throw new IllegalArgumentException("two identities share a snikey");
            }
            if (copy.stream().filter(Identity::isDefault).count() > 1) {
                throw new IllegalArgumentException("more than one default identity");
            }
            this.identities = copy;
            return this;
        }

        /** Adds an identity. */
        public Builder identity(Identity identity) {
            List<Identity> more = new ArrayList<>(identities);
            more.add(Objects.requireNonNull(identity, "identity"));
            return identities(more);
        }

        /** Where to listen (default {@code 0.0.0.0:20556}; port 0 picks a free port, see {@link Manager#boundAddress()}). */
        public Builder listen(InetSocketAddress address) {
            this.listen = Objects.requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("listen address " + address + " is unresolved");
            }
            return this;
        }

        /**
         * Publishes every run through a broker (spec/agents.md §B): the run connects, publishes one
         * descriptor per identity and withdraws them when it is over; endpoints subscribed to the
         * channels come by themselves. {@link #config} sets this when {@code EnableExpPublication} is 1.
         */
        public Builder publication(PublicationSettings publication) {
            this.publication = Optional.of(Objects.requireNonNull(publication, "publication"));
            return this;
        }

        /** Runs publish nothing (endpoints are pointed at the manager); the default. */
        public Builder noPublication() {
            this.publication = Optional.empty();
            return this;
        }

        /** The {@code controller_addr} to publish ({@code -p} or {@code PubControllerAddr}); default: the address the manager listens on. */
        public Builder publicationAddress(AgentAddress address) {
            this.publicationAddress = Optional.of(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Only endpoints whose host id matches {@code glob} ({@code *} any run of characters,
         * {@code ?} one character) get the mlet; others are closed and not counted.
         */
        public Builder hostId(String glob) {
            Objects.requireNonNull(glob, "glob");
            if (!NameValues.isWellFormed("hostid=" + glob + ";", NameValues.Syntax.XDESCR)) {
                throw new IllegalArgumentException("host id pattern \"" + glob + "\" is not a valid xdescr value");
            }
            this.hostId = Optional.of(glob);
            return this;
        }

        /** Sets up at most {@code n} sessions per run (default: no limit). */
        public Builder attempts(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("attempts < 1");
            }
            this.attempts = n;
            return this;
        }

        /** Loads the monitor programs of {@code dir} (spec/agents.md §A.4.2), replacing programs set so far. */
        public Builder programDirectory(Path dir) throws IOException {
            this.programs = Programs.load(dir);
            return this;
        }

        /** Uses these monitor programs, replacing programs set so far. */
        public Builder programs(Collection<Program> programs) {
            this.programs = Programs.of(programs);
            return this;
        }

        /** How long TLS handshake, program submission, start and the host id read may take together (default 60 s). */
        public Builder setupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("setup timeout <= 0");
            }
            this.setupTimeout = timeout;
            return this;
        }

        /** How long {@link Manager#close()} lets running mlets finish before cancelling them (default 10 s). */
        public Builder stopTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("stop timeout < 0");
            }
            this.stopTimeout = timeout;
            return this;
        }

        /** Largest message body accepted from an endpoint (default {@value #DEFAULT_MAX_FRAME_BODY}); a longer one closes that session. */
        public Builder maxFrameBody(int bytes) {
            if (bytes < 0x10000 + 64 || bytes > WireCodec.MAX_BODY) {
                throw new IllegalArgumentException("max frame body " + bytes + " is not in " + (0x10000 + 64) + ".." + WireCodec.MAX_BODY);
            }
            this.maxFrameBody = bytes;
            return this;
        }

        /** The listen backlog (default 4096; the reference's 0 drops concurrent endpoints). */
        public Builder backlog(int backlog) {
            if (backlog < 1) {
                throw new IllegalArgumentException("backlog < 1");
            }
            this.backlog = backlog;
            return this;
        }

        /** Event loop threads for endpoint connections (default 0: Netty's default, twice the processors). */
        public Builder eventLoopThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("event loop threads < 0");
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /** How long an mlet's blocking call waits for the endpoint (default 10 s; the call then throws). */
        public Builder requestTimeout(Duration timeout) {
            this.sessions = sessions.timeout(timeout);
            return this;
        }

        /**
         * Builds the manager and starts listening.
         *
         * @throws IllegalStateException when no identity was given
         * @throws IOException           when the address cannot be bound or the TLS contexts cannot be made
         */
        public Manager build() throws IOException {
            if (identities.isEmpty()) {
                throw new IllegalStateException("a manager needs at least one identity");
            }
            if (proxy.required() && proxy.proxy().isEmpty()) {
                throw new IllegalStateException("proxy mode (EnableProxyMode 1) needs the proxy's address (-a ADDR[:PORT])");
            }
            return new Manager(this);
        }
    }
}
