package org.packetlab.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.packetlab.config.Option.Repeat;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

/** The options of {@code endpt.conf} (spec/config-files.md §3), in the order {@link ConfigText} writes them. */
final class EndptSchema {
    private EndptSchema() {}

    static final String HEADER = """
            PacketLab endpoint configuration (endpt.conf), read by `pktlab endpt` and the reference pktendpt.
            One option per line: the option name, blanks, then the value up to the end of the line (trailing
            blanks included). Lines starting with # are comments; there are no comments after a value.
            Relative paths are relative to the working directory of the endpoint, not to this file.""";

    private static final String IDENTITY = "Endpoint identity and credentials";
    private static final String NETWORK = "What experiments may use";
    private static final String MODE = """
            Where experiments come from
            NoSubMode 1: run the one experiment of the controller named on the command line (default
            127.0.0.1:20556), without a broker. NoSubMode 0: subscribe to a broker, which forwards published
            experiments; BrokerAddr, EndpointAgentCertPath, BrokerChainRootPath and SubPrivCertChainPath are
            then required.""";
    private static final String MONITORS = "Sessions and monitors";

    static final Option<Path> ENDPOINT_PRIV_KEY = new Option<>("EndpointPrivKey", Repeat.LATCHED, true,
            Values::path, IDENTITY, """
            Required. The endpoint's Ed25519 private key, PEM PKCS#8 (k_ep).""", "PATH");
    static final Option<List<Path>> CONTROLLER_CERT_CHAIN_PATH = new Option<>("ControllerCertChainPath", Repeat.LATCHED, true,
            Values::pathList, IDENTITY, """
            Required. The endpoint's certificate chain shown to controllers, leaf first (subject = the endpoint key).""",
            "PATH[,PATH...]");
    static final Option<List<Path>> ENDPOINT_OP_PUB_KEY_PATH = new Option<>("EndpointOpPubKeyPath", Repeat.LATCHED, true,
            Values::pathList, IDENTITY, """
            Endpoint-operator public keys (comma-separated): the roots controllers' experiment chains must verify
            against, and the eopkey sent to the broker (include the signer of the last SubPrivCertChainPath certificate).""",
            "PATH[,PATH...]");
    static final Option<String> HOST_ID = new Option<>("HostID", Repeat.LATCHED, true,
            (v, c) -> hostId(v, c), IDENTITY, """
            Host name exported to controllers in the endpoint's memory (at most 255 characters used).""", "NAME");

    static final Option<Set<EndptConf.Transport>> TRANSPROTO_SUP = new Option<>("TransprotoSup", Repeat.ACCUMULATING, false,
            EndptSchema::transports, NETWORK, """
            Transports experiments may open: comma-separated tcp, udp, raw (raw needs CAP_NET_RAW). Lines add up.""",
            "tcp,udp");
    static final Option<Boolean> RAW_MODE_LKM = new Option<>("RawModeLKM", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), NETWORK, """
            1 = raw capture through the reference's packet-stealing kernel module, 0 = plain packet sockets.""", "0");
    static final Option<List<String>> VMEM_LOCAL_ADDR_IPV4 = new Option<>("VMemLocalAddrStrIPv4", Repeat.LATCHED, true,
            (v, c) -> Values.items(v), NETWORK, """
            Local IPv4 addresses offered to experiments, in preference order: ADDR/PREFIX or an interface name,
            comma-separated (this or VMemLocalAddrStrIPv6 is required).""", "ADDR/PREFIX[,...]");
    static final Option<List<String>> VMEM_LOCAL_ADDR_IPV6 = new Option<>("VMemLocalAddrStrIPv6", Repeat.LATCHED, true,
            (v, c) -> Values.items(v), NETWORK, """
            Local IPv6 addresses offered to experiments: addresses (no prefix) or interface names, comma-separated.""",
            "ADDR[,...]");
    static final Option<List<String>> VMEM_LOCAL_DNS_ADDR_IPV4 = new Option<>("VMemLocalDNSAddrStrIPv4", Repeat.LATCHED, true,
            (v, c) -> Values.items(v), NETWORK, """
            IPv4 DNS servers exported to experiments, comma-separated (at most 16).""", "ADDR[,...]");
    static final Option<List<String>> VMEM_LOCAL_DNS_ADDR_IPV6 = new Option<>("VMemLocalDNSAddrStrIPv6", Repeat.LATCHED, true,
            (v, c) -> Values.items(v), NETWORK, """
            IPv6 DNS servers exported to experiments, comma-separated (at most 16).""", "ADDR[,...]");
    static final Option<Long> BUF_MAX = new Option<>("BufMax", Repeat.OVERWRITING, true,
            EndptSchema::bufMax, NETWORK, """
            Buffer budget for all sockets of a session, in bytes (0..4294967295; 0 blocks all traffic).""", "8388608");

    static final Option<Boolean> NO_SUB_MODE = new Option<>("NoSubMode", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), MODE, """
            1 = no broker: serve the controller given on the command line; 0 = subscribe to a broker.""", "0");
    static final Option<Snikey> NO_SUB_MODE_SNI_KEY = new Option<>("NoSubModeSNIKey", Repeat.LATCHED, true,
            (v, c) -> snikey(v), MODE, """
            In NoSubMode, the snikey to ask the controller for (1-63 characters from a-z, 0-9). Absent = no SNI.""",
            "SNIKEY");
    static final Option<AgentAddress> BROKER_ADDR = new Option<>("BrokerAddr", Repeat.LATCHED, true,
            (v, c) -> Values.address(v), MODE, """
            Broker address HOST[:PORT] (default port 20557). The reference endpoint splits it at the first ':',
            so IPv6 literals do not work with it.""", "HOST[:PORT]");
    static final Option<List<ChannelItem>> BROKER_CHANNEL = new Option<>("BrokerChannel", Repeat.LATCHED, true,
            (v, c) -> Values.hexList(v), MODE, """
            Channels to subscribe to: comma-separated hex channel ids; an empty item = the private channels
            extracted from SubPrivCertChainPath. Absent = exactly those private channels.""", "HEX[,HEX...]");
    static final Option<Boolean> AUTO_EXTRACT_CHANNEL = new Option<>("AutoExtractChannel", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), MODE, """
            1 = subscribe to the private channels of the operators that signed SubPrivCertChainPath.""", "0");
    static final Option<Path> ENDPOINT_AGENT_CERT_PATH = new Option<>("EndpointAgentCertPath", Repeat.LATCHED, true,
            Values::path, MODE, """
            The endpoint's agent certificate for the broker (subject = the endpoint key), e.g. certs/agent_ep_ep.cert.""",
            "PATH");
    static final Option<List<Path>> BROKER_CHAIN_ROOT_PATH = new Option<>("BrokerChainRootPath", Repeat.LATCHED, true,
            Values::pathList, MODE, """
            Public keys trusted for the broker's agent certificate (comma-separated), e.g. keys/caida_k_bop.pub.""",
            "PATH[,PATH...]");
    static final Option<List<Path>> SUB_PRIV_CERT_CHAIN_PATH = new Option<>("SubPrivCertChainPath", Repeat.LATCHED, true,
            Values::pathList, MODE, """
            Certificates sent to the broker to subscribe, in this order, top certificate last (e.g. certs/subcmd_eop_ep.cert).""",
            "PATH[,PATH...]");
    static final Option<NameValues> ENDPOINT_ATTR = new Option<>("EndpointAttr", Repeat.LATCHED, true,
            (v, c) -> dattr(v), MODE, """
            Attributes the broker matches against experiments: name=value; pairs, no wildcards, no repeated names
            (e.g. hostid=ep1.example.net;endpoint_country=USA;).""", "NAME=VALUE;...");

    static final Option<Path> RLIM_DB_PATH = new Option<>("RLimDBPath", Repeat.LATCHED, true,
            (v, c) -> Values.resolve(v, c), MONITORS, """
            File of the persistent resource-limit counters. Absent = ~/.pktlab/endpt.rlim.""", "PATH");
    static final Option<Boolean> WORKER_BUSY_WAIT_MODE = new Option<>("WorkerBusyWaitMode", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), MONITORS, """
            1 = sessions poll without waiting (lower latency, one busy core).""", "0");
    static final Option<Boolean> MONITOR_REPORT_CRASH = new Option<>("MonitorReportCrash", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), MONITORS, """
            1 = report a crashed monitor program to the controller.""", "0");
    static final Option<Duration> MONITOR_DEADLINE_MILLSEC = new Option<>("MonitorDeadlineMillsec", Repeat.OVERWRITING, true,
            (v, c) -> Values.unsignedDuration(Values.u64(v), 1_000_000), MONITORS, """
            Time a monitor program may take per check, in milliseconds.""", "100");
    static final Option<Long> MONITOR_MEMORY_MAX = new Option<>("MonitorMemoryMax", Repeat.OVERWRITING, true,
            EndptSchema::monitorMemoryMax, MONITORS, """
            Memory a monitor program may use, in bytes (131072 or more, below 4294967295).""", "1048576");
    static final Option<Boolean> MONITOR_ENABLE_DEBUG = new Option<>("MonitorEnableDebug", Repeat.OVERWRITING, false,
            (v, c) -> Values.bool(v), MONITORS, """
            1 = let monitor programs print debug output.""", "0");

    static final List<Option<?>> OPTIONS = List.of(
            ENDPOINT_PRIV_KEY, CONTROLLER_CERT_CHAIN_PATH, ENDPOINT_OP_PUB_KEY_PATH, HOST_ID,
            TRANSPROTO_SUP, RAW_MODE_LKM, VMEM_LOCAL_ADDR_IPV4, VMEM_LOCAL_ADDR_IPV6, VMEM_LOCAL_DNS_ADDR_IPV4,
            VMEM_LOCAL_DNS_ADDR_IPV6, BUF_MAX,
            NO_SUB_MODE, NO_SUB_MODE_SNI_KEY, BROKER_ADDR, BROKER_CHANNEL, AUTO_EXTRACT_CHANNEL,
            ENDPOINT_AGENT_CERT_PATH, BROKER_CHAIN_ROOT_PATH, SUB_PRIV_CERT_CHAIN_PATH, ENDPOINT_ATTR,
            RLIM_DB_PATH, WORKER_BUSY_WAIT_MODE, MONITOR_REPORT_CRASH, MONITOR_DEADLINE_MILLSEC, MONITOR_MEMORY_MAX,
            MONITOR_ENABLE_DEBUG);

    private static String hostId(String value, Option.Context context) {
        if (value.length() > EndptConf.HOST_ID_MAX) {
            context.warn("longer than " + EndptConf.HOST_ID_MAX + " characters: endpoints export only the first "
                    + EndptConf.HOST_ID_MAX);
        }
        return value;
    }

    /** Items are case-insensitive; [quirk] other items are ignored by the reference, we warn. Empty is an error. */
    private static Set<EndptConf.Transport> transports(String value, Option.Context context) throws InvalidValueException {
        if (value.isEmpty()) {
            throw new InvalidValueException("empty: list at least one of tcp, udp, raw");
        }
        Set<EndptConf.Transport> set = EnumSet.noneOf(EndptConf.Transport.class);
        for (String item : value.split(",", -1)) {
            try {
                set.add(EndptConf.Transport.valueOf(item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                context.warn("item \"" + item + "\" is not tcp, udp or raw: ignored (as the reference does)");
            }
        }
        return Set.copyOf(set);
    }

    /** [quirk] values above 2^32-1 are truncated to 32 bits, values from 2^63 mean the default; we warn. */
    private static Long bufMax(String value, Option.Context context) throws InvalidValueException {
        long v = Values.u64(value);
        if (v < 0) {
            context.warn("2^63 or more: the reference uses the default " + EndptConf.DEFAULT_BUF_MAX);
            return EndptConf.DEFAULT_BUF_MAX;
        }
        if (v > EndptConf.U32_MAX) {
            long truncated = v & EndptConf.U32_MAX;
            context.warn("more than 4294967295: truncated to 32 bits (" + truncated + ") as the reference does");
            return truncated;
        }
        return v;
    }

    private static Long monitorMemoryMax(String value, Option.Context context) throws InvalidValueException {
        long v = Values.u64(value);
        if (Long.compareUnsigned(v, EndptConf.U32_MAX) >= 0) {
            throw new InvalidValueException("must be less than 4294967295");
        }
        if (v < EndptConf.MONITOR_MEMORY_USABLE) {
            context.warn("below " + EndptConf.MONITOR_MEMORY_USABLE + " bytes monitor programs cannot run");
        }
        return v;
    }

    private static Snikey snikey(String value) throws InvalidValueException {
        if (!Snikey.isValid(value)) {
            throw new InvalidValueException("not a snikey: need 1-63 characters from [a-z0-9] (lower case only)");
        }
        return new Snikey(value);
    }

    private static NameValues dattr(String value) throws InvalidValueException {
        try {
            return NameValues.parse(value, NameValues.Syntax.DATTR);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(e.getMessage(), e);
        }
    }
}
