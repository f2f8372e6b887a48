package org.packetlab.manager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.ChannelItem;
import org.packetlab.config.XpmgrConf;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

/**
 * How a manager publishes its experiments through a broker (spec/agents.md §B): the broker, the
 * agent identity it connects with, the trusted broker-operator keys, and what goes into each
 * descriptor. Immutable; {@link #fromConfig} reads the publication options of {@code xpmgr.conf}.
 *
 * <p>Each run of a publishing manager connects to the broker, publishes one descriptor per identity
 * (reverse configuration order, as the reference) and withdraws them when the run is over.
 */
public final class PublicationSettings {
    /** The largest {@code exp_priority} (a u32 on the endpoint). */
    public static final long MAX_PRIORITY = 0xFFFF_FFFFL;

    private final InetSocketAddress broker;
    private final TlsIdentity agent;
    private final List<Ed25519PublicKey> brokerRoots;
    private final Optional<Duration> pubPeriod;
    private final OptionalLong priority;
    private final List<String> countries;
    private final List<String> locations;
    private final Duration greetPeriodAfterPubEnd;
    private final Map<Snikey, Entry> entries;
    private final Duration timeout;

    /**
     * What one identity publishes beyond the common fields: its {@code ExpExec} entry's
     * {@code PUB_CHANNEL} items (none = the key channel) and {@code OVERRIDE_XDESCRNVP} pairs.
     */
    public record Entry(List<ChannelItem> pubChannel, NameValues overrides) {
        /** The key channel, no overrides. */
        public static final Entry DEFAULT = new Entry(List.of(), NameValues.empty(NameValues.Syntax.XDESCR));

        public Entry {
            pubChannel = List.copyOf(pubChannel);
            Objects.requireNonNull(overrides, "overrides");
        }
    }

    private PublicationSettings(Builder b) {
        broker = b.broker;
        agent = b.agent;
        brokerRoots = b.brokerRoots;
        pubPeriod = b.pubPeriod;
        priority = b.priority;
        countries = b.countries;
        locations = b.locations;
        greetPeriodAfterPubEnd = b.greetPeriodAfterPubEnd;
        entries = Map.copyOf(b.entries);
        timeout = b.timeout;
    }

    /** A builder; broker and agent identity are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The publication options of {@code conf} (which must have {@code EnableExpPublication 1}):
     * {@code BrokerAddr}, {@code PubAgentCertPath} with the controller key, {@code BrokerCertRootPath},
     * {@code PubPeriod}, {@code PubExpPriority}, {@code PubCountry}, {@code PubLocation} and
     * {@code GreetPeriodAfterPubEnd}; per identity, its entry's channels and overrides are given
     * with {@link Builder#entry}. ({@code PubControllerAddr} is the manager's
     * {@link Manager.Builder#publicationAddress}.)
     *
     * @throws IOException naming the file that cannot be read, or the broker address that does not resolve
     */
    public static Builder fromConfig(XpmgrConf conf, Ed25519PrivateKey controllerKey) throws IOException {
        if (!conf.enableExpPublication()) {
            throw new IllegalArgumentException("EnableExpPublication is 0");
        }
        Path agentCert = conf.pubAgentCertPath().orElseThrow();
        Cert cert;
        try {
            cert = Cert.read(agentCert);
        } catch (CertException e) {
            throw new IOException("PubAgentCertPath " + agentCert + ": " + e.getMessage(), e);
        }
        if (!cert.subject().equals(controllerKey.publicKey())) {
            throw new IOException("PubAgentCertPath " + agentCert + ": its subject is not the controller key");
        }
        List<Ed25519PublicKey> roots = new ArrayList<>();
        for (Path p : conf.brokerCertRootPath()) {
            roots.add(Ed25519PublicKey.read(p));
        }
        Builder b = builder()
                .broker(conf.brokerAddr().orElseThrow().resolve(AgentAddress.DefaultPort.BROKER_PUBLISH))
                .agent(TlsIdentity.of(controllerKey, List.of(cert)))
                .brokerRoots(roots)
                .countries(conf.pubCountry())
                .locations(conf.pubLocation())
                .greetPeriodAfterPubEnd(conf.greetPeriodAfterPubEnd());
        conf.pubPeriod().ifPresent(b::pubPeriod);
        if (conf.pubExpPriority().isPresent()) {
            b.priority(conf.pubExpPriority().getAsLong());
        }
        return b;
    }

    /** A builder holding these settings. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** The broker's publication address. */
    public InetSocketAddress broker() {
        return broker;
    }

    /** The manager's agent certificate and key, presented to the broker. */
    public TlsIdentity agent() {
        return agent;
    }

    /** Keys trusted to sign the broker's certificate; empty = the broker is not checked (as the reference). */
    public List<Ed25519PublicKey> brokerRoots() {
        return brokerRoots;
    }

    /** How long each publication lasts ({@code pub_end = now + period}); empty = until the run is over. */
    public Optional<Duration> pubPeriod() {
        return pubPeriod;
    }

    /** {@code exp_priority}, when published. */
    public OptionalLong priority() {
        return priority;
    }

    /** {@code endpoint_country} values, in configuration order. */
    public List<String> countries() {
        return countries;
    }

    /** {@code endpoint_location} values, in configuration order. */
    public List<String> locations() {
        return locations;
    }

    /** How long the run still accepts endpoints after the last {@code pub_end}. */
    public Duration greetPeriodAfterPubEnd() {
        return greetPeriodAfterPubEnd;
    }

    /** What the identity of {@code snikey} publishes (its channels and overrides). */
    public Entry entry(Snikey snikey) {
        return entries.getOrDefault(snikey, Entry.DEFAULT);
    }

    /** Limit on connecting to the broker and on each of its answers. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "PublicationSettings[broker " + broker + (pubPeriod.map(p -> ", period " + p).orElse(""))
                + (priority.isPresent() ? ", priority " + priority.getAsLong() : "") + "]";
    }

    /** Configures {@link PublicationSettings}; setters check their value at once. */
    public static final class Builder {
        private InetSocketAddress broker;
        private TlsIdentity agent;
        private List<Ed25519PublicKey> brokerRoots = List.of();
        private Optional<Duration> pubPeriod = Optional.empty();
        private OptionalLong priority = OptionalLong.empty();
        private List<String> countries = List.of();
        private List<String> locations = List.of();
        private Duration greetPeriodAfterPubEnd = Duration.ZERO;
        private final Map<Snikey, Entry> entries = new HashMap<>();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {}

        private Builder(PublicationSettings s) {
            broker = s.broker;
            agent = s.agent;
            brokerRoots = s.brokerRoots;
            pubPeriod = s.pubPeriod;
            priority = s.priority;
            countries = s.countries;
            locations = s.locations;
            greetPeriodAfterPubEnd = s.greetPeriodAfterPubEnd;
            entries.putAll(s.entries);
            timeout = s.timeout;
        }

        /** The broker's publication address ({@code BrokerAddr}). */
        public Builder broker(InetSocketAddress address) {
            this.broker = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The agent certificate ({@code PubAgentCertPath}, subject = the controller key) and that key. */
        public Builder agent(TlsIdentity identity) {
            this.agent = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** {@code BrokerCertRootPath} keys. */
        public Builder brokerRoots(List<Ed25519PublicKey> roots) {
            this.brokerRoots = List.copyOf(roots);
            return this;
        }

        /** {@code PubPeriod}. */
        public Builder pubPeriod(Duration period) {
            if (period.isNegative()) {
                throw new IllegalArgumentException("PubPeriod < 0");
            }
            this.pubPeriod = Optional.of(period);
            return this;
        }

        /** {@code PubExpPriority}, 0..2^32-1. */
        public Builder priority(long priority) {
            if (priority < 0 || priority > MAX_PRIORITY) {
                throw new IllegalArgumentException("priority " + priority + " is not in 0.." + MAX_PRIORITY);
            }
            this.priority = OptionalLong.of(priority);
            return this;
        }

        /** {@code PubCountry}. */
        public Builder countries(List<String> countries) {
            this.countries = List.copyOf(countries);
            return this;
        }

        /** {@code PubLocation}. */
        public Builder locations(List<String> locations) {
            this.locations = List.copyOf(locations);
            return this;
        }

        /** {@code GreetPeriodAfterPubEnd}. */
        public Builder greetPeriodAfterPubEnd(Duration period) {
            if (period.isNegative()) {
                throw new IllegalArgumentException("GreetPeriodAfterPubEnd < 0");
            }
            this.greetPeriodAfterPubEnd = period;
            return this;
        }

        /** The channels and overrides of the identity answering to {@code snikey}. */
        public Builder entry(Snikey snikey, Entry entry) {
            entries.put(Objects.requireNonNull(snikey, "snikey"), Objects.requireNonNull(entry, "entry"));
            return this;
        }

        /** Limit on connecting to the broker and on each of its answers (default 10 s; the reference waits forever). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout <= 0");
            }
            this.timeout = timeout;
            return this;
        }

        /** The settings. */
        public PublicationSettings build() {
            if (broker == null || agent == null) {
                throw new IllegalStateException("broker and agent identity are required");
            }
            return new PublicationSettings(this);
        }
    }
}
