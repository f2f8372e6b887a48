package org.packetlab.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The experiment manager's configuration, {@code xpmgr.conf} (spec/config-files.md §2): every option
 * with the reference's defaults and presence rules. Immutable; build one with {@link #builder()},
 * derive variants with {@link #newBuilder()}, read one with {@link #load(Path)}, write one with
 * {@link ConfigText#of(XpmgrConf)}.
 *
 * <p>Times are {@link Duration}s (the file holds nanoseconds); counts are unsigned 64-bit numbers.
 * Addresses are kept as written: {@link #load} resolves them once to validate them, as the reference
 * does, and users resolve them again with {@link AgentAddress#resolve} when they connect.
 *
 * <p>{@link #expExec()} is in file order. The reference registers entries in reverse file order, so
 * with two entries of the same snikey the one higher in the file wins; avoid duplicates.
 */
public record XpmgrConf(
        boolean enableExpPublication,
        Optional<AgentAddress> brokerAddr,
        Optional<Path> pubAgentCertPath,
        List<Path> brokerCertRootPath,
        Optional<AgentAddress> pubControllerAddr,
        Optional<Duration> pubPeriod,
        OptionalLong pubExpPriority,
        List<String> pubCountry,
        List<String> pubLocation,
        Duration greetPeriodAfterPubEnd,
        Path controllerPrivkeyPath,
        List<ExpExec> expExec,
        Optional<Path> programDirPath,
        boolean enableProxyMode,
        Optional<Path> backlogConnAgentCertPath,
        List<Path> proxyCertRootPath,
        long targetBacklogConn,
        Duration backlogConnTimeout,
        Duration bootstrapBacklogTimeout) {

    private static final Logger log = LoggerFactory.getLogger(XpmgrConf.class);
    private static final String PRESENCE = "option presence requirements are not met: ";

    /** Default of {@code TargetBacklogConn}. */
    public static final long DEFAULT_TARGET_BACKLOG_CONN = 2;
    /** Default of {@code BacklogConnTimeout}: 2 s. */
    public static final Duration DEFAULT_BACKLOG_CONN_TIMEOUT = Duration.ofSeconds(2);
    /** Default of {@code BootstrapBacklogTimeout}: 5 s. */
    public static final Duration DEFAULT_BOOTSTRAP_BACKLOG_TIMEOUT = Duration.ofSeconds(5);
    /** The {@code PubPeriod} the reference's init script writes: 365 days. */
    public static final Duration ONE_YEAR = Duration.ofDays(365);

    /**
     * Checks every value and the presence rules (spec/config-files.md §2.5).
     *
     * @throws IllegalArgumentException naming the rule broken; presence violations start with
     *                                  "option presence requirements are not met"
     */
    public XpmgrConf {
        Objects.requireNonNull(brokerAddr, "brokerAddr");
        Objects.requireNonNull(pubAgentCertPath, "pubAgentCertPath");
        brokerCertRootPath = List.copyOf(brokerCertRootPath);
        Objects.requireNonNull(pubControllerAddr, "pubControllerAddr");
        Objects.requireNonNull(pubPeriod, "pubPeriod");
        pubPeriod.ifPresent(d -> Values.toUnsigned("PubPeriod", d, 1));
        Objects.requireNonNull(pubExpPriority, "pubExpPriority");
        pubCountry = checkCountries(pubCountry);
        pubLocation = checkLocations(pubLocation);
        Values.toUnsigned("GreetPeriodAfterPubEnd", greetPeriodAfterPubEnd, 1);
        Objects.requireNonNull(programDirPath, "programDirPath");
        Objects.requireNonNull(backlogConnAgentCertPath, "backlogConnAgentCertPath");
        proxyCertRootPath = List.copyOf(proxyCertRootPath);
        if (targetBacklogConn == 0) {
            throw new IllegalArgumentException("TargetBacklogConn must be greater than 0");
        }
        Values.toUnsigned("BacklogConnTimeout", backlogConnTimeout, 1);
        Values.toUnsigned("BootstrapBacklogTimeout", bootstrapBacklogTimeout, 1);
        expExec = List.copyOf(expExec);
        List<String> missing = new ArrayList<>();
        if (enableExpPublication && brokerAddr.isEmpty()) {
            missing.add("BrokerAddr is required when EnableExpPublication is 1");
        }
        if (enableExpPublication && pubAgentCertPath.isEmpty()) {
            missing.add("PubAgentCertPath is required when EnableExpPublication is 1");
        }
        if (controllerPrivkeyPath == null) {
            missing.add("ControllerPrivkeyPath is required");
        }
        if (expExec.isEmpty()) {
            missing.add("at least one ExpExec is required");
        }
        if (expExec.stream().filter(ExpExec::isDefault).count() > 1) {
            missing.add("at most one ExpExec may have IS_DEFAULT 1");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(PRESENCE + String.join("; ", missing));
        }
    }

    /** A builder with the reference's defaults; {@code ControllerPrivkeyPath} and one {@code ExpExec} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** Reads {@code file}, resolving relative paths against the working directory of the process. */
    public static LoadedConfig<XpmgrConf> load(Path file) throws ConfigException {
        return load(file, Path.of("").toAbsolutePath());
    }

    /**
     * Reads {@code file} with the reference's semantics (spec/config-files.md §1-§2): validates every
     * effective value (paths must be regular files, addresses must resolve), applies defaults and the
     * presence rules, logs and returns the warnings.
     *
     * @param workingDirectory where relative paths start (the reference uses the process's working directory)
     * @throws ConfigException naming file, line, option and problem
     */
    public static LoadedConfig<XpmgrConf> load(Path file, Path workingDirectory) throws ConfigException {
        OptionParser.Parsed p = OptionParser.parse(file, workingDirectory, XpmgrSchema.OPTIONS);
        // EnableExpPublication has no default: report it together with the other presence rules
        String noPublicationFlag = p.value(XpmgrSchema.ENABLE_EXP_PUBLICATION).isEmpty() ? "EnableExpPublication is required" : null;
        XpmgrConf conf;
        try {
            Builder b = builder();
            p.value(XpmgrSchema.ENABLE_EXP_PUBLICATION).ifPresent(b::enableExpPublication);
            p.value(XpmgrSchema.BROKER_ADDR).ifPresent(b::brokerAddr);
            p.value(XpmgrSchema.PUB_AGENT_CERT_PATH).ifPresent(b::pubAgentCertPath);
            p.value(XpmgrSchema.BROKER_CERT_ROOT_PATH).ifPresent(b::brokerCertRootPath);
            p.value(XpmgrSchema.PUB_CONTROLLER_ADDR).ifPresent(b::pubControllerAddr);
            p.value(XpmgrSchema.PUB_PERIOD).ifPresent(b::pubPeriod);
            p.value(XpmgrSchema.PUB_EXP_PRIORITY).ifPresent(b::pubExpPriority);
            p.value(XpmgrSchema.PUB_COUNTRY).ifPresent(b::pubCountry);
            p.value(XpmgrSchema.PUB_LOCATION).ifPresent(b::pubLocation);
            p.value(XpmgrSchema.GREET_PERIOD_AFTER_PUB_END).ifPresent(b::greetPeriodAfterPubEnd);
            p.value(XpmgrSchema.CONTROLLER_PRIVKEY_PATH).ifPresent(b::controllerPrivkeyPath);
            b.expExec(p.values(XpmgrSchema.EXP_EXEC));
            p.value(XpmgrSchema.PROGRAM_DIR_PATH).ifPresent(b::programDirPath);
            p.value(XpmgrSchema.ENABLE_PROXY_MODE).ifPresent(b::enableProxyMode);
            p.value(XpmgrSchema.BACKLOG_CONN_AGENT_CERT_PATH).ifPresent(b::backlogConnAgentCertPath);
            p.value(XpmgrSchema.PROXY_CERT_ROOT_PATH).ifPresent(b::proxyCertRootPath);
            p.value(XpmgrSchema.TARGET_BACKLOG_CONN).ifPresent(b::targetBacklogConn);
            p.value(XpmgrSchema.BACKLOG_CONN_TIMEOUT).ifPresent(b::backlogConnTimeout);
            p.value(XpmgrSchema.BOOTSTRAP_BACKLOG_TIMEOUT).ifPresent(b::bootstrapBacklogTimeout);
            conf = b.build();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (noPublicationFlag != null) {
                m = m.startsWith(PRESENCE) ? PRESENCE + noPublicationFlag + "; " + m.substring(PRESENCE.length())
                        : PRESENCE + noPublicationFlag + "; " + m;
            }
            throw new ConfigException(file, m, e);
        }
        if (noPublicationFlag != null) {
            throw new ConfigException(file, PRESENCE + noPublicationFlag, null);
        }
        if (conf.enableExpPublication && conf.pubPeriod.isEmpty()) {
            p.warnings().add(new ConfigWarning(file, p.lines().get("EnableExpPublication").get(0), "EnableExpPublication", "1",
                    "publishing without PubPeriod: the manager publishes and stops at once (reference behaviour)"));
        }
        p.warnings().forEach(w -> log.warn("{}", w));
        return new LoadedConfig<>(file, conf, p.warnings(), p.lines());
    }

    /** The option lines {@link ConfigText} writes: required options and values that differ from the default. */
    Map<String, List<String>> settings() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("ControllerPrivkeyPath", List.of(Values.writable("ControllerPrivkeyPath", controllerPrivkeyPath.toString())));
        s.put("ExpExec", expExec.stream().map(ExpExec::toString).toList());
        programDirPath.ifPresent(d -> s.put("ProgramDirPath", List.of(Values.writable("ProgramDirPath", d.toString()))));
        s.put("EnableExpPublication", List.of(enableExpPublication ? "1" : "0"));
        brokerAddr.ifPresent(a -> s.put("BrokerAddr", List.of(a.toString())));
        pubAgentCertPath.ifPresent(f -> s.put("PubAgentCertPath", List.of(Values.writable("PubAgentCertPath", f.toString()))));
        if (!brokerCertRootPath.isEmpty()) {
            s.put("BrokerCertRootPath", List.of(Values.writable("BrokerCertRootPath",
                    Values.pathList("BrokerCertRootPath", brokerCertRootPath))));
        }
        pubControllerAddr.ifPresent(a -> s.put("PubControllerAddr", List.of(a.toString())));
        pubPeriod.ifPresent(d -> s.put("PubPeriod", List.of(Long.toUnsignedString(Values.toUnsigned("PubPeriod", d, 1)))));
        pubExpPriority.ifPresent(n -> s.put("PubExpPriority", List.of(Long.toUnsignedString(n))));
        if (!pubCountry.isEmpty()) {
            s.put("PubCountry", List.of(Values.join(pubCountry)));
        }
        if (!pubLocation.isEmpty()) {
            s.put("PubLocation", List.of(Values.join(pubLocation)));
        }
        if (!greetPeriodAfterPubEnd.isZero()) {
            s.put("GreetPeriodAfterPubEnd", List.of(nanos(greetPeriodAfterPubEnd)));
        }
        if (enableProxyMode) {
            s.put("EnableProxyMode", List.of("1"));
        }
        backlogConnAgentCertPath.ifPresent(f -> s.put("BacklogConnAgentCertPath",
                List.of(Values.writable("BacklogConnAgentCertPath", f.toString()))));
        if (!proxyCertRootPath.isEmpty()) {
            s.put("ProxyCertRootPath", List.of(Values.writable("ProxyCertRootPath",
                    Values.pathList("ProxyCertRootPath", proxyCertRootPath))));
        }
        if (targetBacklogConn != DEFAULT_TARGET_BACKLOG_CONN) {
            s.put("TargetBacklogConn", List.of(Long.toUnsignedString(targetBacklogConn)));
        }
        if (!backlogConnTimeout.equals(DEFAULT_BACKLOG_CONN_TIMEOUT)) {
            s.put("BacklogConnTimeout", List.of(nanos(backlogConnTimeout)));
        }
        if (!bootstrapBacklogTimeout.equals(DEFAULT_BOOTSTRAP_BACKLOG_TIMEOUT)) {
            s.put("BootstrapBacklogTimeout", List.of(nanos(bootstrapBacklogTimeout)));
        }
        return s;
    }

    private static String nanos(Duration d) {
        return Long.toUnsignedString(Values.toUnsigned("time", d, 1));
    }

    static List<String> countries(List<String> items) throws InvalidValueException {
        try {
            return checkCountries(items);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage(), e);
        }
    }

    static List<String> locations(List<String> items) throws InvalidValueException {
        try {
            return checkLocations(items);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage(), e);
        }
    }

    private static List<String> checkCountries(List<String> items) {
        for (String c : items) {
            if (c.length() != 3 || !c.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z')) {
                throw new IllegalArgumentException("PubCountry item \"" + c + "\" is not 3 upper-case letters (ISO 3166-1 alpha-3)");
            }
        }
        return List.copyOf(items);
    }

    private static List<String> checkLocations(List<String> items) {
        for (String l : items) {
            if (l.isEmpty() || !l.chars().allMatch(ch -> (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '*' || ch == '?')) {
                throw new IllegalArgumentException("PubLocation item \"" + l
                        + "\" is not an upper-case Maidenhead locator (A-Z, 0-9, * and ? only)");
            }
        }
        return List.copyOf(items);
    }

    /** Builds an {@link XpmgrConf}; every setter checks its value at once. */
    public static final class Builder {
        private boolean enableExpPublication;
        private AgentAddress brokerAddr;
        private Path pubAgentCertPath;
        private List<Path> brokerCertRootPath = List.of();
        private AgentAddress pubControllerAddr;
        private Duration pubPeriod;
        private Long pubExpPriority;
        private List<String> pubCountry = List.of();
        private List<String> pubLocation = List.of();
        private Duration greetPeriodAfterPubEnd = Duration.ZERO;
        private Path controllerPrivkeyPath;
        private final List<ExpExec> expExec = new ArrayList<>();
        private Path programDirPath;
        private boolean enableProxyMode;
        private Path backlogConnAgentCertPath;
        private List<Path> proxyCertRootPath = List.of();
        private long targetBacklogConn = DEFAULT_TARGET_BACKLOG_CONN;
        private Duration backlogConnTimeout = DEFAULT_BACKLOG_CONN_TIMEOUT;
        private Duration bootstrapBacklogTimeout = DEFAULT_BOOTSTRAP_BACKLOG_TIMEOUT;

        private Builder() {}

        private Builder(XpmgrConf c) {
            enableExpPublication = c.enableExpPublication;
            brokerAddr = c.brokerAddr.orElse(null);
            pubAgentCertPath = c.pubAgentCertPath.orElse(null);
            brokerCertRootPath = c.brokerCertRootPath;
            pubControllerAddr = c.pubControllerAddr.orElse(null);
            pubPeriod = c.pubPeriod.orElse(null);
            pubExpPriority = c.pubExpPriority.isPresent() ? c.pubExpPriority.getAsLong() : null;
            pubCountry = c.pubCountry;
            pubLocation = c.pubLocation;
            greetPeriodAfterPubEnd = c.greetPeriodAfterPubEnd;
            controllerPrivkeyPath = c.controllerPrivkeyPath;
            expExec.addAll(c.expExec);
            programDirPath = c.programDirPath.orElse(null);
            enableProxyMode = c.enableProxyMode;
            backlogConnAgentCertPath = c.backlogConnAgentCertPath.orElse(null);
            proxyCertRootPath = c.proxyCertRootPath;
            targetBacklogConn = c.targetBacklogConn;
            backlogConnTimeout = c.backlogConnTimeout;
            bootstrapBacklogTimeout = c.bootstrapBacklogTimeout;
        }

        /** {@code EnableExpPublication}: whether to publish through a broker (then BrokerAddr and PubAgentCertPath are required). */
        public Builder enableExpPublication(boolean enable) {
            this.enableExpPublication = enable;
            return this;
        }

        /** {@code BrokerAddr} (default port 20556); null clears it. */
        public Builder brokerAddr(AgentAddress address) {
            this.brokerAddr = address;
            return this;
        }

        /** {@code PubAgentCertPath}: the manager's agent certificate for the broker; null clears it. */
        public Builder pubAgentCertPath(Path file) {
            this.pubAgentCertPath = file;
            return this;
        }

        /** {@code BrokerCertRootPath}: public keys trusted for the broker's certificate. */
        public Builder brokerCertRootPath(List<Path> files) {
            this.brokerCertRootPath = List.copyOf(files);
            return this;
        }

        /** {@code PubControllerAddr}: the address published as controller_addr; null = inferred. */
        public Builder pubControllerAddr(AgentAddress address) {
            this.pubControllerAddr = address;
            return this;
        }

        /** {@code PubPeriod}: how long a publication lasts; null = no pub_end (the manager stops at once). */
        public Builder pubPeriod(Duration period) {
            if (period != null) {
                Values.toUnsigned("PubPeriod", period, 1);
            }
            this.pubPeriod = period;
            return this;
        }

        /** {@code PubExpPriority} (unsigned); null clears it. */
        public Builder pubExpPriority(Long priority) {
            this.pubExpPriority = priority;
            return this;
        }

        /** {@code PubCountry}: ISO 3166-1 alpha-3 codes in upper case. */
        public Builder pubCountry(List<String> countries) {
            this.pubCountry = checkCountries(countries);
            return this;
        }

        /** {@code PubLocation}: upper-case Maidenhead locators with {@code *} and {@code ?}. */
        public Builder pubLocation(List<String> locations) {
            this.pubLocation = checkLocations(locations);
            return this;
        }

        /** {@code GreetPeriodAfterPubEnd}. */
        public Builder greetPeriodAfterPubEnd(Duration period) {
            Values.toUnsigned("GreetPeriodAfterPubEnd", period, 1);
            this.greetPeriodAfterPubEnd = period;
            return this;
        }

        /** {@code ControllerPrivkeyPath} (required): the controller's private key. */
        public Builder controllerPrivkeyPath(Path file) {
            this.controllerPrivkeyPath = Objects.requireNonNull(file, "controllerPrivkeyPath");
            return this;
        }

        /** Replaces the {@code ExpExec} entries. */
        public Builder expExec(List<ExpExec> entries) {
            List<ExpExec> copy = List.copyOf(entries);
            expExec.clear();
            expExec.addAll(copy);
            return this;
        }

        /** Adds an {@code ExpExec} entry after the others. */
        public Builder addExpExec(ExpExec entry) {
            expExec.add(Objects.requireNonNull(entry, "entry"));
            return this;
        }

        /** {@code ProgramDirPath}: the monitor program directory; null = none. */
        public Builder programDirPath(Path dir) {
            this.programDirPath = dir;
            return this;
        }

        /** {@code EnableProxyMode}: active mode through a proxy. */
        public Builder enableProxyMode(boolean enable) {
            this.enableProxyMode = enable;
            return this;
        }

        /** {@code BacklogConnAgentCertPath}: the manager's agent certificate for the proxy; null clears it. */
        public Builder backlogConnAgentCertPath(Path file) {
            this.backlogConnAgentCertPath = file;
            return this;
        }

        /** {@code ProxyCertRootPath}: public keys trusted for the proxy's certificate. */
        public Builder proxyCertRootPath(List<Path> files) {
            this.proxyCertRootPath = List.copyOf(files);
            return this;
        }

        /** {@code TargetBacklogConn} (unsigned, > 0). */
        public Builder targetBacklogConn(long count) {
            if (count == 0) {
                throw new IllegalArgumentException("TargetBacklogConn must be greater than 0");
            }
            this.targetBacklogConn = count;
            return this;
        }

        /** {@code BacklogConnTimeout}. */
        public Builder backlogConnTimeout(Duration timeout) {
            Values.toUnsigned("BacklogConnTimeout", timeout, 1);
            this.backlogConnTimeout = timeout;
            return this;
        }

        /** {@code BootstrapBacklogTimeout}. */
        public Builder bootstrapBacklogTimeout(Duration timeout) {
            Values.toUnsigned("BootstrapBacklogTimeout", timeout, 1);
            this.bootstrapBacklogTimeout = timeout;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException when the presence rules are not met or a value cannot be written
         */
        public XpmgrConf build() {
            XpmgrConf c = new XpmgrConf(enableExpPublication, Optional.ofNullable(brokerAddr), Optional.ofNullable(pubAgentCertPath),
                    brokerCertRootPath, Optional.ofNullable(pubControllerAddr), Optional.ofNullable(pubPeriod),
                    pubExpPriority == null ? OptionalLong.empty() : OptionalLong.of(pubExpPriority), pubCountry, pubLocation,
                    greetPeriodAfterPubEnd, controllerPrivkeyPath, expExec, Optional.ofNullable(programDirPath), enableProxyMode,
                    Optional.ofNullable(backlogConnAgentCertPath), proxyCertRootPath, targetBacklogConn, backlogConnTimeout,
                    bootstrapBacklogTimeout);
            c.settings();
            return c;
        }
    }
}
