package org.packetlab.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's configuration, {@code endpt.conf} (spec/config-files.md §3): every option with the
 * reference's defaults and presence rules. Immutable; build one with {@link #builder()}, derive
 * variants with {@link #newBuilder()}, read one with {@link #load(Path)}, write one with
 * {@link ConfigText#of(EndptConf)}.
 *
 * <p>Where we are stricter than the reference: {@code EndpointPrivKey} is required (the reference
 * loads it unconditionally and dies without it), and so is {@code SubPrivCertChainPath} in
 * subscription mode (the reference crashes without it), as is a non-empty subscription channel list.
 *
 * <p>The reference's broker client splits {@code BrokerAddr} at its first ':' (IPv6 literals do not
 * work); {@link #brokerAddr()} holds the address parsed by the common rules of {@link AgentAddress}.
 */
public record EndptConf(
        long bufMax,
        Set<Transport> transprotoSup,
        boolean rawModeLkm,
        List<String> vmemLocalAddrIPv4,
        List<String> vmemLocalAddrIPv6,
        List<String> vmemLocalDnsAddrIPv4,
        List<String> vmemLocalDnsAddrIPv6,
        String hostId,
        Optional<AgentAddress> brokerAddr,
        List<ChannelItem> brokerChannel,
        boolean autoExtractChannel,
        Optional<Path> endpointAgentCertPath,
        List<Path> brokerChainRootPath,
        List<Path> endpointOpPubKeyPath,
        List<Path> subPrivCertChainPath,
        List<Path> controllerCertChainPath,
        Path endpointPrivKey,
        NameValues endpointAttr,
        boolean noSubMode,
        Optional<Snikey> noSubModeSniKey,
        Optional<Path> rlimDbPath,
        boolean workerBusyWaitMode,
        boolean monitorReportCrash,
        Duration monitorDeadline,
        long monitorMemoryMax,
        boolean monitorEnableDebug) {

    private static final Logger log = LoggerFactory.getLogger(EndptConf.class);

    static final long U32_MAX = 0xFFFF_FFFFL;
    /** Default of {@code BufMax}: 8 MiB. */
    public static final long DEFAULT_BUF_MAX = 8_388_608;
    /** Default of {@code MonitorDeadlineMillsec}: 100 ms. */
    public static final Duration DEFAULT_MONITOR_DEADLINE = Duration.ofMillis(100);
    /** Default of {@code MonitorMemoryMax}: 1 MiB. */
    public static final long DEFAULT_MONITOR_MEMORY_MAX = 1_048_576;
    /** Below this {@code MonitorMemoryMax} monitor programs cannot run. */
    public static final long MONITOR_MEMORY_USABLE = 131_072;
    /** Endpoints export at most this many characters of {@code HostID}. */
    public static final int HOST_ID_MAX = 255;

    /** A transport experiments may use ({@code TransprotoSup}). */
    public enum Transport {
        TCP, UDP, RAW;

        /** The name in configuration files: {@code tcp}, {@code udp}, {@code raw}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Checks every value and the presence rules (spec/config-files.md §3).
     *
     * @throws IllegalArgumentException naming the rule broken; presence violations start with
     *                                  "option presence requirements are not met"
     */
    public EndptConf {
        if (bufMax < 0 || bufMax > U32_MAX) {
            throw new IllegalArgumentException("BufMax " + Long.toUnsignedString(bufMax) + " is not in 0..4294967295");
        }
        transprotoSup = Set.copyOf(transprotoSup);
        vmemLocalAddrIPv4 = List.copyOf(vmemLocalAddrIPv4);
        vmemLocalAddrIPv6 = List.copyOf(vmemLocalAddrIPv6);
        vmemLocalDnsAddrIPv4 = List.copyOf(vmemLocalDnsAddrIPv4);
        vmemLocalDnsAddrIPv6 = List.copyOf(vmemLocalDnsAddrIPv6);
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(brokerAddr, "brokerAddr");
        brokerChannel = List.copyOf(brokerChannel);
        Objects.requireNonNull(endpointAgentCertPath, "endpointAgentCertPath");
        brokerChainRootPath = List.copyOf(brokerChainRootPath);
        endpointOpPubKeyPath = List.copyOf(endpointOpPubKeyPath);
        subPrivCertChainPath = List.copyOf(subPrivCertChainPath);
        controllerCertChainPath = List.copyOf(controllerCertChainPath);
        Objects.requireNonNull(endpointAttr, "endpointAttr");
        if (endpointAttr.syntax() != NameValues.Syntax.DATTR) {
            throw new IllegalArgumentException("EndpointAttr must be a dattr, not " + endpointAttr.syntax());
        }
        Objects.requireNonNull(noSubModeSniKey, "noSubModeSniKey");
        Objects.requireNonNull(rlimDbPath, "rlimDbPath");
        Values.toUnsigned("MonitorDeadlineMillsec", monitorDeadline, 1_000_000);
        if (monitorMemoryMax < 0 || monitorMemoryMax >= U32_MAX) {
            throw new IllegalArgumentException("MonitorMemoryMax must be less than 4294967295");
        }
        List<String> missing = new ArrayList<>();
        if (vmemLocalAddrIPv4.isEmpty() && vmemLocalAddrIPv6.isEmpty()) {
            missing.add("VMemLocalAddrStrIPv4 or VMemLocalAddrStrIPv6 is required");
        }
        if (transprotoSup.isEmpty()) {
            missing.add("TransprotoSup must enable at least one of tcp, udp, raw");
        }
        if (endpointPrivKey == null) {
            missing.add("EndpointPrivKey is required");
        }
        if (controllerCertChainPath.isEmpty()) {
            missing.add("ControllerCertChainPath is required");
        }
        if (!noSubMode) {
            if (brokerAddr.isEmpty()) {
                missing.add("BrokerAddr is required when NoSubMode is 0");
            }
            if (endpointAgentCertPath.isEmpty()) {
                missing.add("EndpointAgentCertPath is required when NoSubMode is 0");
            }
            if (brokerChainRootPath.isEmpty()) {
                missing.add("BrokerChainRootPath is required when NoSubMode is 0");
            }
            if (subPrivCertChainPath.isEmpty()) {
                missing.add("SubPrivCertChainPath is required when NoSubMode is 0");
            }
            if (!autoExtractChannel && (brokerChannel.isEmpty() || brokerChannel.contains(ChannelItem.DERIVED))) {
                missing.add("AutoExtractChannel 1 is required when BrokerChannel is absent or has an empty item"
                        + " (there would be no private channel to subscribe to)");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("option presence requirements are not met: " + String.join("; ", missing));
        }
    }

    /** A builder with the reference's defaults (and TransprotoSup tcp,udp as in the reference template). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** Reads {@code file}, resolving relative paths against the working directory of the process. */
    public static LoadedConfig<EndptConf> load(Path file) throws ConfigException {
        return load(file, Path.of("").toAbsolutePath());
    }

    /**
     * Reads {@code file} with the reference's semantics (spec/config-files.md §1, §3): validates every
     * value that takes effect, applies defaults and the presence rules, logs and returns the warnings.
     *
     * @param workingDirectory where relative paths start (the reference uses the process's working directory)
     * @throws ConfigException naming file, line, option and problem
     */
    public static LoadedConfig<EndptConf> load(Path file, Path workingDirectory) throws ConfigException {
        OptionParser.Parsed p = OptionParser.parse(file, workingDirectory, EndptSchema.OPTIONS);
        EndptConf conf;
        try {
            Builder b = builder().transprotoSup(Set.of());
            p.value(EndptSchema.BUF_MAX).ifPresent(b::bufMax);
            Set<Transport> transports = EnumSet.noneOf(Transport.class);
            p.values(EndptSchema.TRANSPROTO_SUP).forEach(transports::addAll);
            b.transprotoSup(transports);
            p.value(EndptSchema.RAW_MODE_LKM).ifPresent(b::rawModeLkm);
            p.value(EndptSchema.VMEM_LOCAL_ADDR_IPV4).ifPresent(b::vmemLocalAddrIPv4);
            p.value(EndptSchema.VMEM_LOCAL_ADDR_IPV6).ifPresent(b::vmemLocalAddrIPv6);
            p.value(EndptSchema.VMEM_LOCAL_DNS_ADDR_IPV4).ifPresent(b::vmemLocalDnsAddrIPv4);
            p.value(EndptSchema.VMEM_LOCAL_DNS_ADDR_IPV6).ifPresent(b::vmemLocalDnsAddrIPv6);
            p.value(EndptSchema.HOST_ID).ifPresent(b::hostId);
            p.value(EndptSchema.BROKER_ADDR).ifPresent(b::brokerAddr);
            p.value(EndptSchema.BROKER_CHANNEL).ifPresent(b::brokerChannel);
            p.value(EndptSchema.AUTO_EXTRACT_CHANNEL).ifPresent(b::autoExtractChannel);
            p.value(EndptSchema.ENDPOINT_AGENT_CERT_PATH).ifPresent(b::endpointAgentCertPath);
            p.value(EndptSchema.BROKER_CHAIN_ROOT_PATH).ifPresent(b::brokerChainRootPath);
            p.value(EndptSchema.ENDPOINT_OP_PUB_KEY_PATH).ifPresent(b::endpointOpPubKeyPath);
            p.value(EndptSchema.SUB_PRIV_CERT_CHAIN_PATH).ifPresent(b::subPrivCertChainPath);
            p.value(EndptSchema.CONTROLLER_CERT_CHAIN_PATH).ifPresent(b::controllerCertChainPath);
            p.value(EndptSchema.ENDPOINT_PRIV_KEY).ifPresent(b::endpointPrivKey);
            p.value(EndptSchema.ENDPOINT_ATTR).ifPresent(b::endpointAttr);
            p.value(EndptSchema.NO_SUB_MODE).ifPresent(b::noSubMode);
            p.value(EndptSchema.NO_SUB_MODE_SNI_KEY).ifPresent(b::noSubModeSniKey);
            p.value(EndptSchema.RLIM_DB_PATH).ifPresent(b::rlimDbPath);
            p.value(EndptSchema.WORKER_BUSY_WAIT_MODE).ifPresent(b::workerBusyWaitMode);
            p.value(EndptSchema.MONITOR_REPORT_CRASH).ifPresent(b::monitorReportCrash);
            p.value(EndptSchema.MONITOR_DEADLINE_MILLSEC).ifPresent(b::monitorDeadline);
            p.value(EndptSchema.MONITOR_MEMORY_MAX).ifPresent(b::monitorMemoryMax);
            p.value(EndptSchema.MONITOR_ENABLE_DEBUG).ifPresent(b::monitorEnableDebug);
            conf = b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, e.getMessage(), e);
        }
        p.warnings().forEach(w -> log.warn("{}", w));
        return new LoadedConfig<>(file, conf, p.warnings(), p.lines());
    }

    /** The option lines {@link ConfigText} writes: required options and values that differ from the default. */
    Map<String, List<String>> settings() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        s.put("EndpointPrivKey", List.of(Values.writable("EndpointPrivKey", endpointPrivKey.toString())));
        s.put("ControllerCertChainPath", List.of(Values.writable("ControllerCertChainPath",
                Values.pathList("ControllerCertChainPath", controllerCertChainPath))));
        putPaths(s, "EndpointOpPubKeyPath", endpointOpPubKeyPath);
        if (!hostId.isEmpty()) {
            s.put("HostID", List.of(Values.writable("HostID", hostId)));
        }
        s.put("TransprotoSup", List.of(Values.join(transprotoSup.stream().map(Transport::configName).sorted().toList())));
        putFlag(s, "RawModeLKM", rawModeLkm);
        putItems(s, "VMemLocalAddrStrIPv4", vmemLocalAddrIPv4);
        putItems(s, "VMemLocalAddrStrIPv6", vmemLocalAddrIPv6);
        putItems(s, "VMemLocalDNSAddrStrIPv4", vmemLocalDnsAddrIPv4);
        putItems(s, "VMemLocalDNSAddrStrIPv6", vmemLocalDnsAddrIPv6);
        if (bufMax != DEFAULT_BUF_MAX) {
            s.put("BufMax", List.of(Long.toString(bufMax)));
        }
        s.put("NoSubMode", List.of(noSubMode ? "1" : "0"));
        noSubModeSniKey.ifPresent(k -> s.put("NoSubModeSNIKey", List.of(k.value())));
        brokerAddr.ifPresent(a -> s.put("BrokerAddr", List.of(a.toString())));
        if (!brokerChannel.isEmpty()) {
            String channels = Values.join(brokerChannel);
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("BrokerChannel: a list of one empty item cannot be written (an empty value"
                        + " means no BrokerChannel)");
            }
            s.put("BrokerChannel", List.of(channels));
        }
        putFlag(s, "AutoExtractChannel", autoExtractChannel);
        endpointAgentCertPath.ifPresent(f -> s.put("EndpointAgentCertPath",
                List.of(Values.writable("EndpointAgentCertPath", f.toString()))));
        putPaths(s, "BrokerChainRootPath", brokerChainRootPath);
        putPaths(s, "SubPrivCertChainPath", subPrivCertChainPath);
        if (!endpointAttr.isEmpty()) {
            s.put("EndpointAttr", List.of(endpointAttr.toString()));
        }
        rlimDbPath.ifPresent(f -> s.put("RLimDBPath", List.of(Values.writable("RLimDBPath", f.toString()))));
        putFlag(s, "WorkerBusyWaitMode", workerBusyWaitMode);
        putFlag(s, "MonitorReportCrash", monitorReportCrash);
        if (!monitorDeadline.equals(DEFAULT_MONITOR_DEADLINE)) {
            s.put("MonitorDeadlineMillsec", List.of(Long.toUnsignedString(
                    Values.toUnsigned("MonitorDeadlineMillsec", monitorDeadline, 1_000_000))));
        }
        if (monitorMemoryMax != DEFAULT_MONITOR_MEMORY_MAX) {
            s.put("MonitorMemoryMax", List.of(Long.toString(monitorMemoryMax)));
        }
        putFlag(s, "MonitorEnableDebug", monitorEnableDebug);
        return s;
    }

    private static void putFlag(Map<String, List<String>> s, String key, boolean on) {
        if (on) {
            s.put(key, List.of("1"));
        }
    }

    private static void putItems(Map<String, List<String>> s, String key, List<String> items) {
        if (!items.isEmpty()) {
            String text = Values.writable(key, Values.join(items));
            if (text.isEmpty()) {
                throw new IllegalArgumentException(key + ": an empty value cannot be written (it means the option is absent)");
            }
            s.put(key, List.of(text));
        }
    }

    private static void putPaths(Map<String, List<String>> s, String key, List<Path> paths) {
        if (!paths.isEmpty()) {
            s.put(key, List.of(Values.writable(key, Values.pathList(key, paths))));
        }
    }

    /** Builds an {@link EndptConf}; every setter checks its value at once. */
    public static final class Builder {
        private long bufMax = DEFAULT_BUF_MAX;
        private Set<Transport> transprotoSup = Set.of(Transport.TCP, Transport.UDP);
        private boolean rawModeLkm;
        private List<String> vmemLocalAddrIPv4 = List.of();
        private List<String> vmemLocalAddrIPv6 = List.of();
        private List<String> vmemLocalDnsAddrIPv4 = List.of();
        private List<String> vmemLocalDnsAddrIPv6 = List.of();
        private String hostId = "";
        private AgentAddress brokerAddr;
        private List<ChannelItem> brokerChannel = List.of();
        private boolean autoExtractChannel;
        private Path endpointAgentCertPath;
        private List<Path> brokerChainRootPath = List.of();
        private List<Path> endpointOpPubKeyPath = List.of();
        private List<Path> subPrivCertChainPath = List.of();
        private List<Path> controllerCertChainPath = List.of();
        private Path endpointPrivKey;
        private NameValues endpointAttr = NameValues.empty(NameValues.Syntax.DATTR);
        private boolean noSubMode;
        private Snikey noSubModeSniKey;
        private Path rlimDbPath;
        private boolean workerBusyWaitMode;
        private boolean monitorReportCrash;
        private Duration monitorDeadline = DEFAULT_MONITOR_DEADLINE;
        private long monitorMemoryMax = DEFAULT_MONITOR_MEMORY_MAX;
        private boolean monitorEnableDebug;

        private Builder() {}

        private Builder(EndptConf c) {
            bufMax = c.bufMax;
            transprotoSup = c.transprotoSup;
            rawModeLkm = c.rawModeLkm;
            vmemLocalAddrIPv4 = c.vmemLocalAddrIPv4;
            vmemLocalAddrIPv6 = c.vmemLocalAddrIPv6;
            vmemLocalDnsAddrIPv4 = c.vmemLocalDnsAddrIPv4;
            vmemLocalDnsAddrIPv6 = c.vmemLocalDnsAddrIPv6;
            hostId = c.hostId;
            brokerAddr = c.brokerAddr.orElse(null);
            brokerChannel = c.brokerChannel;
            autoExtractChannel = c.autoExtractChannel;
            endpointAgentCertPath = c.endpointAgentCertPath.orElse(null);
            brokerChainRootPath = c.brokerChainRootPath;
            endpointOpPubKeyPath = c.endpointOpPubKeyPath;
            subPrivCertChainPath = c.subPrivCertChainPath;
            controllerCertChainPath = c.controllerCertChainPath;
            endpointPrivKey = c.endpointPrivKey;
            endpointAttr = c.endpointAttr;
            noSubMode = c.noSubMode;
            noSubModeSniKey = c.noSubModeSniKey.orElse(null);
            rlimDbPath = c.rlimDbPath.orElse(null);
            workerBusyWaitMode = c.workerBusyWaitMode;
            monitorReportCrash = c.monitorReportCrash;
            monitorDeadline = c.monitorDeadline;
            monitorMemoryMax = c.monitorMemoryMax;
            monitorEnableDebug = c.monitorEnableDebug;
        }

        /** {@code BufMax}: buffer budget in bytes, 0..4294967295. */
        public Builder bufMax(long bytes) {
            if (bytes < 0 || bytes > U32_MAX) {
                throw new IllegalArgumentException("BufMax " + bytes + " is not in 0..4294967295");
            }
            this.bufMax = bytes;
            return this;
        }

        /** {@code TransprotoSup}: the transports experiments may use. */
        public Builder transprotoSup(Set<Transport> transports) {
            this.transprotoSup = Set.copyOf(transports);
            return this;
        }

        /** {@code RawModeLKM}. */
        public Builder rawModeLkm(boolean on) {
            this.rawModeLkm = on;
            return this;
        }

        /** {@code VMemLocalAddrStrIPv4}: items {@code a.b.c.d/prefix} or interface names, in preference order. */
        public Builder vmemLocalAddrIPv4(List<String> items) {
            this.vmemLocalAddrIPv4 = items(items);
            return this;
        }

        /** {@code VMemLocalAddrStrIPv6}: IPv6 addresses or interface names. */
        public Builder vmemLocalAddrIPv6(List<String> items) {
            this.vmemLocalAddrIPv6 = items(items);
            return this;
        }

        /** {@code VMemLocalDNSAddrStrIPv4}. */
        public Builder vmemLocalDnsAddrIPv4(List<String> items) {
            this.vmemLocalDnsAddrIPv4 = items(items);
            return this;
        }

        /** {@code VMemLocalDNSAddrStrIPv6}. */
        public Builder vmemLocalDnsAddrIPv6(List<String> items) {
            this.vmemLocalDnsAddrIPv6 = items(items);
            return this;
        }

        private static List<String> items(List<String> items) {
            for (String i : items) {
                if (i.indexOf(',') >= 0) {
                    throw new IllegalArgumentException("list item \"" + i + "\" contains ','");
                }
                Values.writable("address list item", i);
            }
            return List.copyOf(items);
        }

        /** {@code HostID}: exported in vmem (at most 255 characters used); empty = none. */
        public Builder hostId(String hostId) {
            this.hostId = Values.writable("HostID", Objects.requireNonNull(hostId, "hostId"));
            return this;
        }

        /** {@code BrokerAddr} (default port 20557); null clears it. */
        public Builder brokerAddr(AgentAddress address) {
            this.brokerAddr = address;
            return this;
        }

        /** {@code BrokerChannel}; an empty list = the auto-extracted private channels only. */
        public Builder brokerChannel(List<ChannelItem> channels) {
            this.brokerChannel = List.copyOf(channels);
            return this;
        }

        /** {@code AutoExtractChannel}. */
        public Builder autoExtractChannel(boolean on) {
            this.autoExtractChannel = on;
            return this;
        }

        /** {@code EndpointAgentCertPath}; null clears it. */
        public Builder endpointAgentCertPath(Path file) {
            this.endpointAgentCertPath = file;
            return this;
        }

        /** {@code BrokerChainRootPath}. */
        public Builder brokerChainRootPath(List<Path> files) {
            this.brokerChainRootPath = List.copyOf(files);
            return this;
        }

        /** {@code EndpointOpPubKeyPath}. */
        public Builder endpointOpPubKeyPath(List<Path> files) {
            this.endpointOpPubKeyPath = List.copyOf(files);
            return this;
        }

        /** {@code SubPrivCertChainPath}: sent to the broker in this order, top certificate last. */
        public Builder subPrivCertChainPath(List<Path> files) {
            this.subPrivCertChainPath = List.copyOf(files);
            return this;
        }

        /** {@code ControllerCertChainPath} (required): leaf first. */
        public Builder controllerCertChainPath(List<Path> files) {
            this.controllerCertChainPath = List.copyOf(files);
            return this;
        }

        /** {@code EndpointPrivKey} (required). */
        public Builder endpointPrivKey(Path file) {
            this.endpointPrivKey = Objects.requireNonNull(file, "endpointPrivKey");
            return this;
        }

        /** {@code EndpointAttr}: a dattr. */
        public Builder endpointAttr(NameValues attributes) {
            if (attributes.syntax() != NameValues.Syntax.DATTR) {
                throw new IllegalArgumentException("EndpointAttr must be a dattr, not " + attributes.syntax());
            }
            this.endpointAttr = attributes;
            return this;
        }

        /** {@code NoSubMode}. */
        public Builder noSubMode(boolean on) {
            this.noSubMode = on;
            return this;
        }

        /** {@code NoSubModeSNIKey}; null = no SNI. */
        public Builder noSubModeSniKey(Snikey snikey) {
            this.noSubModeSniKey = snikey;
            return this;
        }

        /** {@code RLimDBPath}; null = {@code ~/.pktlab/endpt.rlim}. */
        public Builder rlimDbPath(Path file) {
            this.rlimDbPath = file;
            return this;
        }

        /** {@code WorkerBusyWaitMode}. */
        public Builder workerBusyWaitMode(boolean on) {
            this.workerBusyWaitMode = on;
            return this;
        }

        /** {@code MonitorReportCrash}. */
        public Builder monitorReportCrash(boolean on) {
            this.monitorReportCrash = on;
            return this;
        }

        /** {@code MonitorDeadlineMillsec}: a whole number of milliseconds. */
        public Builder monitorDeadline(Duration deadline) {
            Values.toUnsigned("MonitorDeadlineMillsec", deadline, 1_000_000);
            this.monitorDeadline = deadline;
            return this;
        }

        /** {@code MonitorMemoryMax}: bytes, less than 4294967295. */
        public Builder monitorMemoryMax(long bytes) {
            if (bytes < 0 || bytes >= U32_MAX) {
                throw new IllegalArgumentException("MonitorMemoryMax must be less than 4294967295");
            }
            this.monitorMemoryMax = bytes;
            return this;
        }

        /** {@code MonitorEnableDebug}. */
        public Builder monitorEnableDebug(boolean on) {
            this.monitorEnableDebug = on;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @throws IllegalArgumentException when the presence rules are not met or a value cannot be written
         */
        public EndptConf build() {
            EndptConf c = new EndptConf(bufMax, transprotoSup, rawModeLkm, vmemLocalAddrIPv4, vmemLocalAddrIPv6,
                    vmemLocalDnsAddrIPv4, vmemLocalDnsAddrIPv6, hostId, Optional.ofNullable(brokerAddr), brokerChannel,
                    autoExtractChannel, Optional.ofNullable(endpointAgentCertPath), brokerChainRootPath, endpointOpPubKeyPath,
                    subPrivCertChainPath, controllerCertChainPath, endpointPrivKey, endpointAttr, noSubMode,
                    Optional.ofNullable(noSubModeSniKey), Optional.ofNullable(rlimDbPath), workerBusyWaitMode,
                    monitorReportCrash, monitorDeadline, monitorMemoryMax, monitorEnableDebug);
            c.settings();
            return c;
        }
    }
}
