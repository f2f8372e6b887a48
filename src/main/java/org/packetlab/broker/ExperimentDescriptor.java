package org.packetlab.broker;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.packetlab.config.AgentAddress;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.NameValues.Pair;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Snikey;

/**
 * Builds the experiment descriptor (xdescr) a manager publishes for one {@code ExpExec} entry,
 * pair for pair as the reference manager does (spec/agents.md §B.5.2):
 *
 * <pre>
 *   hostid, endpoint_location… (reverse config order), endpoint_country… (reverse config order),
 *   exp_priority, pub_end, controller_addr, sni_key, then the override pairs in reverse order
 * </pre>
 *
 * <pre>{@code
 * NameValues xdescr = ExperimentDescriptor.builder()
 *         .snikey(entry.snikey())
 *         .controllerAddr(ExperimentDescriptor.controllerAddr(dashP, conf.pubControllerAddr(), dashA, false, local))
 *         .pubPeriod(PktlabTime.now(), conf.pubPeriod())
 *         .overrides(entry.overrideXdescr())
 *         .build();
 * }</pre>
 *
 * An override pair named like a generated one replaces the generated pairs of that name; other
 * override names are added as they are. {@link Builder#build()} checks the override rules.
 */
public final class ExperimentDescriptor {
    private ExperimentDescriptor() {}

    /** Most occurrences of each predefined name in an override (0 = forbidden; absent = unlimited). */
    private static final Map<String, Integer> OVERRIDE_MAX = Map.of(
            DescriptorRules.SNI_KEY, 0,
            DescriptorRules.CONTROLLER_ADDR, 1,
            DescriptorRules.PUB_END, 1,
            DescriptorRules.EXP_PRIORITY, 1,
            DescriptorRules.HOSTID, 1);

    /** A builder with no fields set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code controller_addr} the reference manager publishes (spec/agents.md §B.5.3):
     * {@code -p} if given; else {@code PubControllerAddr}; else in listen mode the {@code -a} text
     * as given, or the local address of the broker connection; in proxy mode the host of
     * {@code -a}, without a port. Resolving {@code -p} (which the reference requires) is the caller's job.
     *
     * <p>Where the reference would publish a bare IPv6 local address (which neither the reference
     * endpoint nor a broker can read back), this publishes {@code [v6]:20556}.
     *
     * @param dashP             the {@code -p} text
     * @param pubControllerAddr {@code PubControllerAddr} from xpmgr.conf
     * @param dashA             the {@code -a} text
     * @param proxyMode         whether the manager runs in proxy (active) mode
     * @param brokerLocal       the local address of the manager's broker connection
     *                          ({@link BrokerPublisher#localAddress()})
     * @throws IllegalArgumentException in proxy mode without {@code -a}
     */
    public static String controllerAddr(Optional<String> dashP, Optional<AgentAddress> pubControllerAddr, Optional<String> dashA,
                                        boolean proxyMode, InetAddress brokerLocal) {
        if (dashP.isPresent()) {
            return dashP.get();
        }
        if (pubControllerAddr.isPresent()) {
            return pubControllerAddr.get().toString();
        }
        if (proxyMode) {
            return AgentAddress.parse(dashA.orElseThrow(() -> new IllegalArgumentException("proxy mode needs -a PROXY"))).host();
        }
        if (dashA.isPresent()) {
            return dashA.get();
        }
        return brokerLocal instanceof Inet6Address
                ? "[" + brokerLocal.getHostAddress() + "]:" + AgentAddress.DefaultPort.MANAGER.port()
                : brokerLocal.getHostAddress();
    }

    /** Configures one descriptor; setters check their value at once. */
    public static final class Builder {
        private Snikey snikey;
        private String controllerAddr;
        private OptionalLong pubEnd = OptionalLong.empty();
        private OptionalLong expPriority = OptionalLong.empty();
        private List<String> countries = List.of();
        private List<String> locations = List.of();
        private String hostId;
        private NameValues overrides = NameValues.empty(NameValues.Syntax.XDESCR);

        private Builder() {}

        /** The entry's snikey ({@code sni_key}, always published, never overridden). */
        public Builder snikey(Snikey snikey) {
            this.snikey = Objects.requireNonNull(snikey, "snikey");
            return this;
        }

        /** {@code controller_addr}: see {@link ExperimentDescriptor#controllerAddr}. */
        public Builder controllerAddr(String address) {
            if (!DescriptorRules.isControllerAddr(address)) {
                throw new IllegalArgumentException("controller_addr \"" + address + "\" is not host, host:port or [v6]:port");
            }
            this.controllerAddr = address;
            return this;
        }

        /** {@code pub_end} as a pktlab time (unsigned). */
        public Builder pubEnd(long pktlabTime) {
            this.pubEnd = OptionalLong.of(pktlabTime);
            return this;
        }

        /** {@code pub_end = now + period} (pktlab times, saturating at 2^64-1), as the manager computes it at publish time. */
        public Builder pubPeriod(long now, Duration period) {
            if (period.isNegative()) {
                throw new IllegalArgumentException("PubPeriod < 0");
            }
            long nanos;
            try {
                nanos = period.toNanos();
            } catch (ArithmeticException tooLong) {
                return pubEnd(PktlabTime.MAX);
            }
            long end = now + nanos;
            return pubEnd(Long.compareUnsigned(end, now) < 0 ? PktlabTime.MAX : end);
        }

        /** {@code exp_priority} (PubExpPriority), 0..2^32-1. */
        public Builder expPriority(long priority) {
            if (priority < 0 || priority > DescriptorRules.MAX_PRIORITY) {
                throw new IllegalArgumentException("exp_priority " + priority + " is not in 0.." + DescriptorRules.MAX_PRIORITY);
            }
            this.expPriority = OptionalLong.of(priority);
            return this;
        }

        /** {@code endpoint_country} pairs (PubCountry items in config order): ISO 3166-1 alpha-3 codes. */
        public Builder countries(List<String> countries) {
            for (String c : countries) {
                if (!DescriptorRules.isCountry(c)) {
                    throw new IllegalArgumentException("country \"" + c + "\" is not 3 upper-case letters");
                }
            }
            this.countries = List.copyOf(countries);
            return this;
        }

        /** {@code endpoint_location} pairs (PubLocation items in config order): Maidenhead locators, {@code *}/{@code ?} allowed. */
        public Builder locations(List<String> locations) {
            for (String l : locations) {
                if (!DescriptorRules.isLocation(l)) {
                    throw new IllegalArgumentException("location \"" + l + "\" is not upper-case letters, digits, * or ?");
                }
            }
            this.locations = List.copyOf(locations);
            return this;
        }

        /** {@code hostid}: the {@code -i} glob. */
        public Builder hostId(String glob) {
            this.hostId = Objects.requireNonNull(glob, "glob");
            return this;
        }

        /** The entry's {@code OVERRIDE_XDESCRNVP} pairs. */
        public Builder overrides(NameValues overrides) {
            if (overrides.syntax() != NameValues.Syntax.XDESCR) {
                throw new IllegalArgumentException("overrides must be an xdescr, not " + overrides.syntax());
            }
            this.overrides = overrides;
            return this;
        }

        /**
         * The descriptor.
         *
         * @throws IllegalArgumentException when an override breaks the rules of §B.5.2 (a
         *                                  {@code sni_key}, a repeated single-valued name, a bad
         *                                  value) or a mandatory field is missing
         * @throws IllegalStateException    when the snikey is not set
         */
        public NameValues build() {
            if (snikey == null) {
                throw new IllegalStateException("snikey not set");
            }
            Map<String, Integer> overridden = new HashMap<>();
            for (Pair p : overrides.pairs()) {
                int n = overridden.merge(p.name(), 1, Integer::sum);
                Integer max = OVERRIDE_MAX.get(p.name());
                if (max != null && n > max) {
                    throw new IllegalArgumentException(max == 0 ? "sni_key cannot be overridden"
                            : "override has more than one " + p.name());
                }
                checkOverrideValue(p);
            }
            if (controllerAddr == null && !overridden.containsKey(DescriptorRules.CONTROLLER_ADDR)) {
                throw new IllegalArgumentException("controller_addr not set and not overridden");
            }
            List<Pair> pairs = new ArrayList<>();
            addUnlessOverridden(pairs, overridden, DescriptorRules.HOSTID, hostId == null ? List.of() : List.of(hostId));
            addUnlessOverridden(pairs, overridden, DescriptorRules.ENDPOINT_LOCATION, locations.reversed());
            addUnlessOverridden(pairs, overridden, DescriptorRules.ENDPOINT_COUNTRY, countries.reversed());
            addUnlessOverridden(pairs, overridden, DescriptorRules.EXP_PRIORITY,
                    expPriority.isPresent() ? List.of(Long.toString(expPriority.getAsLong())) : List.of());
            addUnlessOverridden(pairs, overridden, DescriptorRules.PUB_END,
                    pubEnd.isPresent() ? List.of(PktlabTime.toString(pubEnd.getAsLong())) : List.of());
            addUnlessOverridden(pairs, overridden, DescriptorRules.CONTROLLER_ADDR,
                    controllerAddr == null ? List.of() : List.of(controllerAddr));
            pairs.add(new Pair(DescriptorRules.SNI_KEY, snikey.value()));
            pairs.addAll(overrides.pairs().reversed());
            return NameValues.of(NameValues.Syntax.XDESCR, pairs);
        }

        private static void addUnlessOverridden(List<Pair> pairs, Map<String, Integer> overridden, String name, List<String> values) {
            if (!overridden.containsKey(name)) {
                values.forEach(v -> pairs.add(new Pair(name, v)));
            }
        }

        private static void checkOverrideValue(Pair p) {
            String v = p.value();
            boolean ok = switch (p.name()) {
                case DescriptorRules.CONTROLLER_ADDR -> DescriptorRules.isControllerAddr(v);
                case DescriptorRules.PUB_END -> DescriptorRules.isU64(v);
                case DescriptorRules.EXP_PRIORITY -> DescriptorRules.isPriority(v);
                case DescriptorRules.ENDPOINT_COUNTRY -> DescriptorRules.isCountry(v);
                case DescriptorRules.ENDPOINT_LOCATION -> DescriptorRules.isLocation(v);
                default -> true;
            };
            if (!ok) {
                throw new IllegalArgumentException("override " + p.name() + "=\"" + v + "\" is not a valid value");
            }
        }
    }
}
