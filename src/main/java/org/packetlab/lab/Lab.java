package org.packetlab.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.packetlab.broker.Broker;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.BrokerSubscriber;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.EndpointSubscriber;
import org.packetlab.endpoint.ExperimentPool;
import org.packetlab.endpoint.PoolEntry;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.extmlet.MletReport;
import org.packetlab.manager.Identity;
import org.packetlab.manager.Manager;
import org.packetlab.manager.PublicationStatus;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.proxy.Proxy;
import org.packetlab.results.Results;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Xnotify;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded local lab: in this JVM, on loopback only, a target {@link HttpTarget HTTP server}, a
 * {@link DnsResponder DNS responder}, an experiment {@link Manager} in listen mode (or behind a
 * {@link Proxy}, {@link Builder#proxy()}) and N
 * {@link Endpoint}s in NoSubMode, all with the credentials of a {@code pktlab init} home. It is the
 * reference tutorial's "first local experiment" ({@code pktxpmgr -n N MLET} and N {@code pktendpt})
 * without a single process to start.
 *
 * <pre>{@code
 * try (Lab lab = Lab.local().endpoints(3).start()) {
 *     InetSocketAddress web = lab.httpTarget();
 *     Results<HttpGet.Result> r = lab.run(ep -> HttpGet.fetch(ep, "127.0.0.1", web.getPort(), "/index.html"));
 *     System.out.println(r.table());
 * }
 * }</pre>
 *
 * <h2>Endpoints</h2>
 * Endpoint {@code i} (from 1) exports host id {@code ep<i>}, the local addresses 127.0.0.1/8 and,
 * when IPv6 works here, ::1, and the DNS responder's address as its resolver (the responder listens
 * on an ephemeral port, so DNS mlets are given {@link #dns()}). Endpoints connect to the manager
 * when a run starts, each for one session, as {@code pktendpt} in NoSubMode does.
 *
 * <h2>Runs</h2>
 * One run at a time, as many runs in a row as wanted. The manager sets up at most N sessions per
 * run (its attempt count), so a run is over when every endpoint's session has ended; an endpoint
 * that cannot set up a session (refused) also ends the run once every endpoint is done.
 *
 * <h2>With a broker</h2>
 * {@code Lab.local().broker()} also runs a {@link Broker} (identity {@code k_brk} signed by the
 * home's broker operator key {@code k_bop}, created on first use as {@code pktlab broker} does).
 * The manager then publishes each run's experiment at the broker and withdraws it when the run is
 * over; each endpoint subscribes (NoSubMode 0, dattr {@code hostid=ep<i>;}) and serves the
 * experiments it is notified of through its {@link ExperimentPool}. {@code lab.run(mlet)} works
 * the same; {@link Run#publication()} tells what was published.
 *
 * <h2>A lab must be closed</h2>
 * {@link #close()} stops the manager, the endpoints and the services, waits for every thread they
 * started, and deletes the temporary home.
 */
public final class Lab implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lab.class);

    /** The most endpoints one lab runs. */
    public static final int MAX_ENDPOINTS = 1000;

    /** How long a finished run waits for the endpoints to see their sessions closed. */
    private static final Duration ENDPOINTS_SETTLE = Duration.ofSeconds(5);

    private final PktlabHome home;
    private final Path temporaryHome;
    private final HttpTarget http;
    private final DnsResponder dns;
    private final LoopGroup endpointLoops;
    private final List<Endpoint> endpoints;
    private final List<String> hostIds;
    private final Optional<Snikey> snikey;
    private final Manager manager;
    private final Optional<Broker> broker;
    private final Optional<Proxy> proxy;
    private final InetSocketAddress controller;
    private final Parts parts;

    private final Object lock = new Object();
    private Run<?> current;                                                       // guarded by lock
    private CompletableFuture<Void> endpointsDone = CompletableFuture.completedFuture(null); // guarded by lock
    private boolean closed;                                                       // guarded by lock

    private Lab(Parts p) {
        this.home = p.home;
        this.temporaryHome = p.temporaryHome;
        this.http = p.http;
        this.dns = p.dns;
        this.endpointLoops = p.endpointLoops;
        this.endpoints = List.copyOf(p.endpoints);
        this.hostIds = List.copyOf(p.hostIds);
        this.snikey = p.snikey;
        this.manager = p.manager;
        this.broker = Optional.ofNullable(p.broker);
        this.proxy = Optional.ofNullable(p.proxy);
        this.controller = p.proxy != null ? p.proxy.endpointAddress() : p.manager.boundAddress();
        this.parts = p;
    }

    /** A builder for a lab on this machine: a temporary home and one endpoint unless told otherwise. */
    public static Builder local() {
        return new Builder();
    }

    /** The address of the target HTTP server ({@link HttpTarget}: {@code /index.html}, {@code /bytes/N}, ...). */
    public InetSocketAddress httpTarget() {
        return http.address();
    }

    /** The address of the DNS responder ({@link DnsResponder}: {@code pktlab.test} is 127.0.0.3). */
    public InetSocketAddress dns() {
        return dns.address();
    }

    /** The experiment manager, listening on 127.0.0.1 (its {@link Manager#boundAddress()}), or registered with the lab's proxy. */
    public Manager manager() {
        return manager;
    }

    /** The lab's broker, when it runs with one ({@link Builder#broker()}). */
    public Optional<Broker> broker() {
        return broker;
    }

    /** The lab's proxy, when it was built with {@link Builder#proxy()}: the manager is in proxy mode behind it. */
    public Optional<Proxy> proxy() {
        return proxy;
    }

    /** The PacketLab home whose keys, certificates and configuration files the lab uses. */
    public PktlabHome home() {
        return home;
    }

    /** Whether the home is a temporary one, deleted by {@link #close()}. */
    public boolean isTemporaryHome() {
        return temporaryHome != null;
    }

    /** How many endpoints the lab runs. */
    public int endpointCount() {
        return endpoints.size();
    }

    /** The endpoints' host ids, {@code ep1}, {@code ep2}, ... */
    public List<String> hostIds() {
        return hostIds;
    }

    /**
     * Runs {@code mlet} once on every endpoint and returns the results, one per endpoint. Interrupting
     * the calling thread cancels the run.
     *
     * @throws IllegalStateException when the lab is closed or another run is in progress
     */
    public <T> Results<T> run(Mlet<T> mlet) throws InterruptedException {
        return run(mlet, RunListener.none());
    }

    /** Like {@link #run(Mlet)}, telling {@code listener} about every endpoint as it happens (for live tables). */
    public <T> Results<T> run(Mlet<T> mlet, RunListener<? super T> listener) throws InterruptedException {
        return awaitSettled(start(mlet, listener));
    }

    /**
     * Runs the external mlet {@code mlet} (an executable file, such as a reference C mlet) once on
     * every endpoint, as {@link #run(Mlet)} runs a Java mlet: each endpoint's value is its
     * process's {@link MletReport} (exit status, captured output); a failed process is an
     * MLET_FAILED result whose cause, an {@link org.packetlab.extmlet.ExternalMletException},
     * holds the report. Interrupting the calling thread cancels the run (the processes get SIGTERM,
     * then SIGKILL).
     *
     * @throws IOException          when this platform cannot run external mlets or a singleton cannot start
     * @throws IllegalStateException when the lab is closed or another run is in progress
     */
    public Results<MletReport> run(ExternalMlet mlet, RunListener<? super MletReport> listener)
            throws IOException, InterruptedException {
        return awaitSettled(start(mlet, listener));
    }

    private <T> Results<T> awaitSettled(Run<T> run) throws InterruptedException {
        try {
            return settled(run.await());
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    /**
     * Like {@link #run(Mlet)}, for at most {@code maxWait}: then the run is cancelled (running mlets
     * interrupted, their sessions recorded as CANCELLED) and the results so far are returned.
     */
    public <T> Results<T> run(Mlet<T> mlet, Duration maxWait) throws InterruptedException {
        Objects.requireNonNull(maxWait, "maxWait");
        Run<T> run = start(mlet, RunListener.none());
        try {
            Optional<Results<T>> done = run.await(maxWait);
            if (done.isPresent()) {
                return settled(done.get());
            }
            run.cancel();
            return settled(run.await());
        } catch (InterruptedException e) {
            run.cancel();
            throw e;
        }
    }

    /**
     * Starts a run of {@code mlet} on every endpoint and returns at once; {@code listener} hears of
     * every endpoint as it happens and {@link Run#await()} gives the results.
     *
     * @throws IllegalStateException when the lab is closed or another run is in progress
     */
    public <T> Run<T> start(Mlet<T> mlet, RunListener<? super T> listener) {
        Objects.requireNonNull(mlet, "mlet");
        Objects.requireNonNull(listener, "listener");
        return begin(() -> manager.start(mlet, listener), controller, snikey);
    }

    /**
     * Starts a run of the external mlet {@code mlet} on every endpoint and returns at once (see
     * {@link #run(ExternalMlet, RunListener)}); the run is over once every process has ended.
     *
     * @throws IOException          when this platform cannot run external mlets or a singleton cannot start
     * @throws IllegalStateException when the lab is closed or another run is in progress
     */
    public Run<MletReport> start(ExternalMlet mlet, RunListener<? super MletReport> listener) throws IOException {
        Objects.requireNonNull(mlet, "mlet");
        Objects.requireNonNull(listener, "listener");
        return begin(() -> manager.start(mlet, listener), controller, snikey);
    }

    /**
     * Runs {@code mlet} once on every endpoint of the lab for another experimenter's {@code manager}:
     * one holding a privilege from the lab's endpoint operator (an exppriv signed with the lab home's
     * {@code k_eop}, installed with {@code pktlab privileges add}), listening or in proxy mode behind
     * this lab's proxy. Each endpoint connects to it (through the proxy) with the snikey of the
     * manager's identity whose trusted operator key is the lab's, as a published experiment's
     * descriptor would tell it. The manager's attempt count should be the lab's endpoint count.
     *
     * @throws IllegalArgumentException when the manager holds no privilege from the lab's operator, is
     *                                  in proxy mode behind another proxy, or (in a lab with a broker)
     *                                  does not publish at the lab's broker
     * @throws IllegalStateException    when the lab is closed or another run is in progress
     */
    public <T> Results<T> run(Manager manager, Mlet<T> mlet, RunListener<? super T> listener)
            throws IOException, InterruptedException {
        return awaitSettled(start(manager, mlet, listener));
    }

    /**
     * Starts a run of {@code mlet} on every endpoint of the lab for another experimenter's
     * {@code manager} and returns at once (see {@link #run(Manager, Mlet, RunListener)}).
     *
     * @throws IllegalArgumentException when the manager cannot serve this lab's endpoints (as for {@code run})
     * @throws IllegalStateException    when the lab is closed or another run is in progress
     */
    public <T> Run<T> start(Manager manager, Mlet<T> mlet, RunListener<? super T> listener) throws IOException {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(mlet, "mlet");
        Objects.requireNonNull(listener, "listener");
        Ed25519PublicKey operator = home.publicKey(PktlabHome.K_EOP);
        Identity privilege = manager.identities().stream().filter(id -> id.trustedRoots().contains(operator)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the manager holds no privilege from this lab's endpoint operator"
                        + " (key id " + operator.keyId().hex() + ")"));
        if (broker.isPresent() && !manager.publication().map(p -> p.broker().equals(broker.get().publicationAddress())).orElse(false)) {
            // the lab's endpoints are subscribed: they come only to what is published at this lab's broker
            throw new IllegalArgumentException("this lab's endpoints come to experiments published at its broker "
                    + broker.get().publicationAddress() + "; the manager does not publish there");
        }
        InetSocketAddress target;
        if (manager.proxy().isEmpty()) {
            target = manager.boundAddress();
        } else if (proxy.isPresent() && manager.boundAddress().equals(proxy.get().setupAddress())) {
            target = proxy.get().endpointAddress();
        } else {
            throw new IllegalArgumentException("the manager registers with the proxy " + manager.boundAddress()
                    + ", which is not this lab's; endpoints cannot reach it");
        }
        return begin(() -> manager.start(mlet, listener), target, Optional.of(privilege.snikey()));
    }

    /** How a run is started on the manager: a Java mlet's cannot fail, an external mlet's may ({@link IOException}). */
    @FunctionalInterface
    private interface RunStart<T, X extends Exception> {
        Run<T> start() throws X;
    }

    /** Starts a run with {@code start} and makes every endpoint connect for one session. */
    private <T, X extends Exception> Run<T> begin(RunStart<T, X> start, InetSocketAddress controller, Optional<Snikey> snikey)
            throws X {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the lab is closed");
            }
            if (current != null && !current.isDone()) {
                throw new IllegalStateException("a run is in progress; one run at a time");
            }
            if (broker.isPresent()) {
                return beginPublished(start);
            }
            Run<T> run = start.start();
            List<CompletableFuture<SessionOutcome>> outcomes = new ArrayList<>(endpoints.size());
            try {
                for (int i = 0; i < endpoints.size(); i++) {
                    String hostId = hostIds.get(i);
                    outcomes.add(endpoints.get(i).connect(controller, snikey)
                            .whenComplete((outcome, failure) -> logOutcome(hostId, outcome, failure)));
                }
            } catch (RuntimeException e) {
                // an endpoint that cannot even try (closed) must not leave a run waiting for it
                run.cancel();
                throw e;
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
            // an endpoint refused before its session counts no attempt: once every endpoint is done
            // the run must not wait for more
            all.whenComplete((ignored, failure) -> run.stop());
            current = run;
            endpointsDone = all;
            return run;
        }
    }

    /**
     * Starts a run that the manager publishes: each endpoint's next finished session (an experiment
     * its pool took from the broker) is its outcome for this run. Called holding the lock.
     */
    private <T, X extends Exception> Run<T> beginPublished(RunStart<T, X> start) throws X {
        List<CompletableFuture<SessionOutcome>> outcomes = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            String hostId = hostIds.get(i);
            CompletableFuture<SessionOutcome> outcome = new CompletableFuture<>();
            outcome.whenComplete((o, failure) -> logOutcome(hostId, o, failure));
            parts.poolOutcomes.get(i).set(outcome);
            outcomes.add(outcome);
        }
        Run<T> run = start.start();
        CompletableFuture<Void> all = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
        all.whenComplete((ignored, failure) -> run.stop());
        run.completion().whenComplete((results, failure) -> {
            if (run.publication().orElse(null) instanceof PublicationStatus.Failed failed) {
                // nobody was notified: no endpoint will come
                outcomes.forEach(o -> o.complete(new SessionOutcome.Unreachable(failed.describe())));
            }
        });
        current = run;
        endpointsDone = all;
        return run;
    }

    private static void logOutcome(String hostId, SessionOutcome outcome, Throwable failure) {
        if (failure != null) {
            log.warn("endpoint {} failed: {}", hostId, failure.toString(), failure);
        } else if (!outcome.isNormalEnd()) {
            log.warn("endpoint {}: {}", hostId, outcome.describe());
        } else {
            log.debug("endpoint {}: {}", hostId, outcome.describe());
        }
    }

    /** Waits (briefly) until the endpoints have seen their sessions end, so that the next run starts clean. */
    private <T> Results<T> settled(Results<T> results) throws InterruptedException {
        CompletableFuture<Void> done;
        synchronized (lock) {
            done = endpointsDone;
        }
        try {
            done.get(ENDPOINTS_SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("run over, but endpoint sessions are still open after {}", ENDPOINTS_SETTLE);
        } catch (ExecutionException e) {
            log.warn("endpoint session failed: {}", e.getCause().toString(), e.getCause());
        }
        return results;
    }

    /**
     * Stops everything: the manager (a run in progress is cancelled after its stop timeout), the
     * endpoints, the target services, every thread they started; then deletes a temporary home.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        parts.closeAll();
    }

    // visible for testing
    Endpoint endpoint(int index) {
        return endpoints.get(index);
    }

    // visible for testing
    boolean threadsEnded() {
        return endpointLoops.threadsEnded() && http.threadsEnded() && dns.threadsEnded();
    }

    @Override
    public String toString() {
        return "Lab[" + endpoints.size() + " endpoint(s), manager " + manager.boundAddress()
                + broker.map(b -> ", broker " + b.publicationAddress() + "/" + b.subscriptionAddress()).orElse("")
                + proxy.map(x -> ", proxy " + x.endpointAddress()).orElse("") + ", http " + http.address()
                + ", dns " + dns.address() + ", home " + home.dir() + "]";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot delete the temporary home {}: {}", dir, e.toString(), e);
        }
    }

    /** What a lab is made of, gathered by {@link Builder#start()}; closed in reverse order, also when a step of the start fails. */
    private static final class Parts {
        PktlabHome home;
        Path temporaryHome;
        HttpTarget http;
        DnsResponder dns;
        LoopGroup endpointLoops;
        final List<Endpoint> endpoints = new ArrayList<>();
        final List<String> hostIds = new ArrayList<>();
        Optional<Snikey> snikey = Optional.empty();
        Manager manager;
        Broker broker;
        final List<BrokerSubscriber> subscribers = new ArrayList<>();
        final List<ExperimentPool> pools = new ArrayList<>();
        final List<AtomicReference<CompletableFuture<SessionOutcome>>> poolOutcomes = new ArrayList<>();
        Proxy proxy;

        void closeAll() {
            if (manager != null) {
                manager.close();
            }
            subscribers.forEach(BrokerSubscriber::close);
            pools.forEach(ExperimentPool::close);
            if (proxy != null) {
                proxy.close();
            }
            endpoints.forEach(Endpoint::close);
            if (broker != null) {
                broker.close();
            }
            if (endpointLoops != null) {
                endpointLoops.shutdown();
            }
            if (http != null) {
                http.close();
            }
            if (dns != null) {
                dns.close();
            }
            if (temporaryHome != null) {
                deleteTree(temporaryHome);
            }
        }
    }

    /** Settings of a {@link Lab}; each setter checks its argument at once. */
    public static final class Builder {
        private Path home;
        private int endpoints = 1;
        private boolean withBroker;
        private BrokerListener brokerListener = new BrokerListener() {};
        private boolean proxy;

        private Builder() {}

        /**
         * Uses the PacketLab home in {@code dir}, initialised as {@code pktlab init} does when it has
         * no keys yet; default: a temporary home, deleted when the lab is closed.
         */
        public Builder home(Path dir) {
            this.home = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** How many endpoints to run (default 1). */
        public Builder endpoints(int n) {
            if (n < 1 || n > MAX_ENDPOINTS) {
                throw new IllegalArgumentException("endpoints " + n + " is not in 1.." + MAX_ENDPOINTS);
            }
            this.endpoints = n;
            return this;
        }

        /**
         * Runs the lab with a broker: the manager publishes each run, the endpoints subscribe and
         * come when notified (see the class documentation).
         */
        public Builder broker() {
            this.withBroker = true;
            return this;
        }

        /** {@link #broker()}, with {@code listener} hearing what the broker does (publications, notifications). */
        public Builder broker(BrokerListener listener) {
            this.brokerListener = Objects.requireNonNull(listener, "listener");
            return broker();
        }

        /**
         * Runs the manager behind a proxy, as a manager behind NAT (spec/agents.md §A.7-§A.8): the lab
         * starts a {@link Proxy} on loopback with the home's proxy credentials ({@code keys/k_prx},
         * made when missing), open to any manager (as a public proxy is; snikeys stay their first
         * registrant's); the lab's manager registers backlog connections with it using {@code xpmgr.proxy.conf} (or
         * {@code xpmgr.conf}) and {@code certs/agent_xc_xc.cert}, pinning the proxy's key; endpoints
         * connect to the proxy's endpoint port with the manager's snikey as SNI.
         */
        public Builder proxy() {
            this.proxy = true;
            return this;
        }

        /**
         * Starts the services, the manager and the endpoints.
         *
         * @throws IOException when the home cannot be created or read, or a socket cannot be bound
         */
        public Lab start() throws IOException {
            Parts p = new Parts();
            try {
                if (home == null) {
                    p.temporaryHome = Files.createTempDirectory("pktlab-lab-");
                    p.home = PktlabHome.at(p.temporaryHome);
                } else {
                    p.home = PktlabHome.at(home);
                }
                if (Files.exists(p.home.dir()) && !Files.isDirectory(p.home.dir())) {
                    throw new IOException("the PacketLab home " + p.home.dir() + " is not a directory");
                }
                if (!p.home.isInitialized()) {
                    try {
                        p.home.init(false);
                    } catch (IOException e) {
                        throw new IOException("cannot initialise the PacketLab home " + p.home.dir() + ": " + explain(e), e);
                    }
                    log.info("initialised the PacketLab home {}", p.home.dir());
                }
                p.http = HttpTarget.builder().address(new InetSocketAddress(Loopback.ipv4(), 0)).start();
                p.dns = DnsResponder.builder().address(new InetSocketAddress(Loopback.ipv4(), 0)).start();
                XpmgrConf managerConf = (proxy && Files.exists(p.home.xpmgrProxyConfFile())
                        ? XpmgrConf.load(p.home.xpmgrProxyConfFile()) : p.home.xpmgrConf()).config();
                if (withBroker) {
                    p.broker = startBroker(p.home, brokerListener);
                    managerConf = managerConf.newBuilder().enableExpPublication(true)
                            .brokerAddr(agentAddress(p.broker.publicationAddress()))
                            .pubAgentCertPath(p.home.certFile(PktlabHome.AGENT_XC_XC))
                            .brokerCertRootPath(List.of(p.home.publicKeyFile(PktlabHome.K_BOP)))
                            .pubControllerAddr(null)
                            .build();
                }
                Manager.Builder manager = proxy ? behindProxy(p, managerConf) : Manager.builder()
                        .config(managerConf)
                        .listen(new InetSocketAddress(Loopback.ipv4(), 0));
                p.manager = manager.attempts(endpoints).build();
                EndptConf conf = p.home.endptConf().config();
                p.snikey = conf.noSubModeSniKey();
                if (proxy && p.snikey.isEmpty()) {
                    // the proxy routes by SNI alone: endpoints name the manager's (default) identity
                    p.snikey = Optional.of(p.manager.identities().stream().filter(Identity::isDefault).findFirst()
                            .orElse(p.manager.identities().get(0)).snikey());
                }
                Endpoint.Builder template = endpointBuilder(conf, p.dns.address());
                p.endpointLoops = new LoopGroup("pktlab-lab-endpoints", Math.min(endpoints, 2));
                template.eventLoopGroup(p.endpointLoops.group());
                for (int i = 1; i <= endpoints; i++) {
                    String hostId = "ep" + i;
                    p.endpoints.add(template.hostId(hostId).build());
                    p.hostIds.add(hostId);
                }
                if (withBroker) {
                    subscribe(p, conf);
                }
                Lab lab = new Lab(p);
                log.info("lab started: {}", lab);
                return lab;
            } catch (IOException | RuntimeException e) {
                p.closeAll();
                throw e;
            }
        }

        private static Broker startBroker(PktlabHome home, BrokerListener listener) throws IOException {
            home.brokerIdentity();
            try {
                return Broker.builder().identity(home.privateKey(PktlabHome.K_BRK), home.cert(PktlabHome.AGENT_BOP_BRK))
                        .publicationAddress(new InetSocketAddress(Loopback.ipv4(), 0))
                        .subscriptionAddress(new InetSocketAddress(Loopback.ipv4(), 0))
                        .listener(listener)
                        .start();
            } catch (CertException e) {
                throw new IOException(home.certFile(PktlabHome.AGENT_BOP_BRK) + ": " + e.getMessage(), e);
            }
        }

        private static AgentAddress agentAddress(InetSocketAddress a) {
            return AgentAddress.of(a.getAddress().getHostAddress(), a.getPort());
        }

        /**
         * Gives every endpoint an experiment pool and a subscription at the lab's broker (NoSubMode 0,
         * dattr {@code hostid=ep<i>;}) and waits until the broker has accepted them all.
         */
        private static void subscribe(Parts p, EndptConf conf) throws IOException {
            CountDownLatch subscribed = new CountDownLatch(p.endpoints.size());
            Ed25519PrivateKey key = Ed25519PrivateKey.read(conf.endpointPrivKey());
            for (int i = 0; i < p.endpoints.size(); i++) {
                AtomicReference<CompletableFuture<SessionOutcome>> outcome = new AtomicReference<>(new CompletableFuture<>());
                p.poolOutcomes.add(outcome);
                ExperimentPool pool = ExperimentPool.builder(p.endpoints.get(i)).listener(new ExperimentPool.Listener() {
                    @Override
                    public void finished(PoolEntry entry, SessionOutcome how) {
                        outcome.get().complete(how);
                    }
                }).build();
                p.pools.add(pool);
                EndptConf subscribing = conf.newBuilder().noSubMode(false)
                        .brokerAddr(agentAddress(p.broker.subscriptionAddress()))
                        .brokerChainRootPath(List.of(p.home.publicKeyFile(PktlabHome.K_BOP)))
                        .endpointAttr(NameValues.parse("hostid=" + p.hostIds.get(i) + ";", NameValues.Syntax.DATTR))
                        .build();
                boolean[] counted = new boolean[1];
                p.subscribers.add(EndpointSubscriber.fromConfig(subscribing, key).eventLoops(p.endpointLoops.group())
                        .listener(new BrokerSubscriber.Listener() {
                            @Override
                            public void notified(Xnotify n) {
                                pool.offer(n.xdescr());
                            }

                            @Override
                            public void subscribed() {
                                if (!counted[0]) {
                                    counted[0] = true;
                                    subscribed.countDown();
                                }
                            }
                        }).start());
            }
            try {
                if (!subscribed.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("the endpoints could not subscribe at the lab's broker within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the endpoints subscribed", e);
            }
        }

        /** Starts the lab's proxy and returns a manager builder registering with it. */
        private static Manager.Builder behindProxy(Parts p, XpmgrConf conf) throws IOException {
            PktlabHome h = p.home;
            h.ensureProxyCredentials();
            TlsIdentity proxyAgent;
            TlsIdentity managerAgent;
            Ed25519PrivateKey controllerKey = h.privateKey(PktlabHome.K_XC);
            try {
                proxyAgent = TlsIdentity.of(h.privateKey(PktlabHome.K_PRX), Cert.readAll(h.certFile(PktlabHome.AGENT_PRX_PRX)));
                managerAgent = TlsIdentity.of(controllerKey, Cert.readAll(h.certFile(PktlabHome.AGENT_XC_XC)));
            } catch (CertException e) {
                throw new IOException("the home's agent certificates do not load: " + e.getMessage(), e);
            }
            // any manager may register, as with a public proxy: another experimenter's too (run(Manager, ...))
            p.proxy = Proxy.builder().identity(proxyAgent)
                    .setupListen(new InetSocketAddress(Loopback.ipv4(), 0))
                    .endpointListen(new InetSocketAddress(Loopback.ipv4(), 0))
                    .build();
            InetSocketAddress setup = p.proxy.setupAddress();
            InetSocketAddress endpoints = p.proxy.endpointAddress();
            return Manager.builder().config(conf, controllerKey)
                    .proxy(AgentAddress.of(setup.getAddress().getHostAddress(), setup.getPort()))
                    .proxyAgent(managerAgent)
                    .proxyRoots(List.of(proxyAgent.key().publicKey()))
                    // endpoints learning of the experiment (a broker's descriptor) come to the proxy's endpoint port
                    .publicationAddress(AgentAddress.of(endpoints.getAddress().getHostAddress(), endpoints.getPort()));
        }

        /** What went wrong with a file, in words: the JDK's file exceptions often carry only the path. */
        private static String explain(IOException e) {
            return switch (e) {
                case AccessDeniedException a -> a.getFile() + ": permission denied";
                case NoSuchFileException n -> n.getFile() + ": no such file or directory";
                default -> e.getMessage();
            };
        }

        /** An endpoint with the credentials of {@code endpt.conf} and the lab's addresses (loopback, the lab's resolver). */
        static Endpoint.Builder endpointBuilder(EndptConf conf, InetSocketAddress resolver) throws IOException {
            List<Cert> chain = new ArrayList<>();
            for (Path p : conf.controllerCertChainPath()) {
                try {
                    chain.addAll(Cert.readAll(p));
                } catch (CertException e) {
                    throw new IOException(p + ": " + e.getMessage(), e);
                }
            }
            List<Ed25519PublicKey> roots = new ArrayList<>();
            for (Path p : conf.endpointOpPubKeyPath()) {
                roots.add(Ed25519PublicKey.read(p));
            }
            Set<Proto> transports = EnumSet.noneOf(Proto.class);
            conf.transprotoSup().forEach(t -> transports.add(Proto.valueOf(t.name())));
            Endpoint.Builder b = Endpoint.builder()
                    .privateKey(Ed25519PrivateKey.read(conf.endpointPrivKey()))
                    .chain(chain)
                    .trustedRoots(roots)
                    .transports(transports)
                    .bufMax(conf.bufMax())
                    .localAddress("127.0.0.1/8")
                    .dnsResolver(resolver.getAddress());
            if (Loopback.ipv6Works()) {
                b.localAddress("::1");
            }
            return b;
        }
    }
}
