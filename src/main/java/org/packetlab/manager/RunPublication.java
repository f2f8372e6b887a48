package org.packetlab.manager;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.packetlab.broker.BrokerPublisher;
import org.packetlab.broker.BrokerRefusedException;
import org.packetlab.broker.ExperimentDescriptor;
import org.packetlab.broker.Publication;
import org.packetlab.config.AgentAddress;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publication of one run (spec/agents.md §B.2, §B.6): on a virtual thread, connect to the
 * broker and publish one descriptor per identity (reverse configuration order); withdraw (close
 * the connection) when the run is over or at the last {@code pub_end}, and stop the run
 * {@code GreetPeriodAfterPubEnd} later. A broker that cannot be reached or refuses stops the run,
 * as the reference manager gives up; the reason is logged and kept as the run's
 * {@link PublicationStatus}. Thread-safe.
 */
final class RunPublication {
    private static final Logger log = LoggerFactory.getLogger(RunPublication.class);
    /** Longest timer set (the reference caps its timers at 31 days too): later ends are left to the run's end. */
    private static final Duration MAX_TIMER = Duration.ofDays(31);

    private final Manager manager;
    private final ManagerRun<?> run;
    private final PublicationSettings settings;
    private final List<Identity> identities;
    private final Optional<AgentAddress> controllerAddr;
    private final Optional<String> hostId;
    private final Object lock = new Object();
    private final CompletableFuture<Void> withdrawn = new CompletableFuture<>();
    private volatile PublicationStatus status;
    private BrokerPublisher publisher;            // guarded by lock
    private boolean closing;                      // guarded by lock
    private String closeReason;                   // guarded by lock
    private final List<Future<?>> timers = new ArrayList<>(); // guarded by lock

    RunPublication(Manager manager, ManagerRun<?> run, PublicationSettings settings, List<Identity> identities,
                   Optional<AgentAddress> controllerAddr, Optional<String> hostId) {
        this.manager = manager;
        this.run = run;
        this.settings = settings;
        this.identities = List.copyOf(identities);
        this.controllerAddr = controllerAddr;
        this.hostId = hostId;
        this.status = new PublicationStatus.Connecting(settings.broker());
    }

    PublicationStatus status() {
        return status;
    }

    void start() {
        Thread.ofVirtual().name("pktlab-publication").start(() -> {
            try {
                publish();
            } catch (RuntimeException e) {
                // a bug here must end the run with its reason, not leave it waiting for a publication
                log.error("publication at the broker {} failed unexpectedly", settings.broker(), e);
                fail("publication failed unexpectedly: " + e, OptionalInt.empty());
            }
        });
    }

    private void publish() {
        BrokerPublisher p;
        try {
            p = BrokerPublisher.builder().broker(settings.broker()).identity(settings.agent())
                    .brokerRoots(settings.brokerRoots()).timeout(settings.timeout()).connect();
        } catch (IOException e) {
            fail(e.getMessage(), OptionalInt.empty());
            return;
        }
        synchronized (lock) {
            if (closing) {
                closeNow(p);
                return;
            }
            publisher = p;
        }
        List<NameValues> published = new ArrayList<>();
        OptionalLong lastEnd = OptionalLong.empty();
        try {
            String address = controllerAddress(p.localAddress().getAddress());
            for (Identity id : identities.reversed()) {
                PublicationSettings.Entry entry = settings.entry(id.snikey());
                NameValues xdescr = descriptor(id, entry, address);
                p.publish(Publication.of(verified(id), entry.pubChannel(), xdescr))
                        .get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
                log.info("published at the broker {}: {}", settings.broker(), xdescr);
                published.add(xdescr);
                Optional<String> end = xdescr.getLast("pub_end");
                if (end.isPresent()) {
                    long e = Long.parseUnsignedLong(end.get());
                    lastEnd = OptionalLong.of(lastEnd.isEmpty() || Long.compareUnsigned(e, lastEnd.getAsLong()) > 0 ? e : lastEnd.getAsLong());
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            fail(cause.getMessage(), cause instanceof BrokerRefusedException r ? OptionalInt.of(r.errid()) : OptionalInt.empty());
            return;
        } catch (TimeoutException e) {
            fail("the broker at " + settings.broker() + " did not answer within " + settings.timeout().toMillis() + " ms", OptionalInt.empty());
            return;
        } catch (IllegalArgumentException e) {
            fail("cannot publish: " + e.getMessage(), OptionalInt.empty());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while publishing", OptionalInt.empty());
            return;
        }
        synchronized (lock) {
            if (closing) {
                return; // withdrawn while publishing: the withdrawal sets the status
            }
            status = new PublicationStatus.Published(settings.broker(), published);
            if (lastEnd.isPresent()) {
                scheduleEnd(lastEnd.getAsLong());
            }
        }
        p.closeFuture().thenRun(() -> {
            synchronized (lock) {
                if (closing) {
                    return;
                }
                closing = true;
                closeReason = "the broker closed the connection";
            }
            log.warn("the broker {} closed the publication connection: publication over, endpoints already notified may still come",
                    settings.broker());
            status = new PublicationStatus.Withdrawn(settings.broker(), published, "the broker closed the connection");
            withdrawn.complete(null);
        });
    }

    /** At the last {@code pub_end}: stop publishing; {@code GreetPeriodAfterPubEnd} later: stop the run. Called holding the lock. */
    private void scheduleEnd(long pubEnd) {
        long now = PktlabTime.now();
        Duration untilEnd = Duration.ofNanos(Long.compareUnsigned(pubEnd, now) <= 0 ? 0
                : Math.min(pubEnd - now, MAX_TIMER.toNanos() + 1));
        if (untilEnd.compareTo(MAX_TIMER) > 0) {
            return;
        }
        // the greet-period timer must survive this withdrawal: it ends the run later
        timers.add(manager.schedule(() -> withdraw("pub_end reached", false), untilEnd));
        Duration untilStop = untilEnd.plus(settings.greetPeriodAfterPubEnd());
        if (untilStop.compareTo(MAX_TIMER) <= 0) {
            timers.add(manager.schedule(() -> {
                log.info("pub_end + GreetPeriodAfterPubEnd reached: the run accepts no more endpoints");
                run.stop();
            }, untilStop));
        }
    }

    private NameValues descriptor(Identity id, PublicationSettings.Entry entry, String address) {
        ExperimentDescriptor.Builder b = ExperimentDescriptor.builder().snikey(id.snikey()).controllerAddr(address)
                .countries(settings.countries()).locations(settings.locations()).overrides(entry.overrides());
        settings.pubPeriod().ifPresent(period -> b.pubPeriod(PktlabTime.now(), period));
        settings.priority().ifPresent(b::expPriority);
        hostId.ifPresent(b::hostId);
        return b.build();
    }

    /** The identity's chain verified against its EOp keys (the key channel and eopkey come from it); empty without keys. */
    private static Optional<Verdict.Verified> verified(Identity id) {
        if (id.trustedRoots().isEmpty()) {
            return Optional.empty();
        }
        Verdict v = ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, id.trustedRoots()).verify(id.tls().chain());
        if (v instanceof Verdict.Verified ok) {
            return Optional.of(ok);
        }
        throw new IllegalArgumentException("identity " + id.snikey() + ": the chain does not verify: " + v.describe());
    }

    /**
     * The {@code controller_addr}: the configured one ({@code -p}, {@code PubControllerAddr}); in proxy
     * mode the proxy's host without a port (as the reference); else the address the manager listens on, with its port. Where the reference publishes the {@code -a}
     * text as given (a useless {@code 0.0.0.0} included) or the broker connection's local address
     * without a port, a manager listening on all addresses publishes that local address with the
     * port it really listens on.
     */
    private String controllerAddress(InetAddress brokerLocal) {
        if (controllerAddr.isPresent()) {
            return controllerAddr.get().toString();
        }
        if (manager.proxy().isPresent()) {
            // proxy mode: endpoints come through the proxy's endpoint port, the default 20556
            return manager.proxy().get().host();
        }
        InetSocketAddress bound = manager.boundAddress();
        InetAddress host = bound.getAddress().isAnyLocalAddress() ? brokerLocal : bound.getAddress();
        String text = host.getHostAddress();
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        return (host instanceof Inet6Address ? "[" + text + "]" : text) + ":" + bound.getPort();
    }

    private void fail(String reason, OptionalInt errid) {
        BrokerPublisher p;
        boolean withdrawnMeanwhile;
        synchronized (lock) {
            withdrawnMeanwhile = closing;
            closing = true;
            p = publisher;
            if (!withdrawnMeanwhile) {
                closeReason = reason;
                status = new PublicationStatus.Failed(settings.broker(), reason, errid);
            }
        }
        if (!withdrawnMeanwhile) {
            log.error("publication failed, stopping the run: {}", reason);
        }
        if (p != null) {
            p.close();
        }
        withdrawn.complete(null);
        if (!withdrawnMeanwhile) {
            run.stop();
        }
    }

    /**
     * Withdraws the publications (closes the broker connection) on a virtual thread; the future
     * completes once the connection is closed. Idempotent: later calls get the same future.
     */
    CompletableFuture<Void> withdraw(String reason) {
        return withdraw(reason, true);
    }

    private CompletableFuture<Void> withdraw(String reason, boolean cancelTimers) {
        BrokerPublisher p;
        synchronized (lock) {
            if (closing) {
                return withdrawn;
            }
            closing = true;
            closeReason = reason;
            if (cancelTimers) {
                timers.forEach(t -> t.cancel(false));
            }
            p = publisher;
            PublicationStatus now = status;
            List<NameValues> descriptors = now instanceof PublicationStatus.Published pub ? pub.descriptors() : List.of();
            status = new PublicationStatus.Withdrawn(settings.broker(), descriptors, reason);
        }
        if (p != null) {
            Thread.ofVirtual().name("pktlab-withdraw").start(() -> closeNow(p));
        }
        // else still connecting: the publishing thread closes the connection when it has it
        return withdrawn;
    }

    private void closeNow(BrokerPublisher p) {
        p.close();
        String reason;
        synchronized (lock) {
            reason = closeReason;
        }
        log.info("publication at the broker {} withdrawn: {}", settings.broker(), reason);
        withdrawn.complete(null);
    }
}
