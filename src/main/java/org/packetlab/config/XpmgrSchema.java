package org.packetlab.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.packetlab.config.Option.Repeat;

/** The options of {@code xpmgr.conf} (spec/config-files.md §2), in the order {@link ConfigText} writes them. */
final class XpmgrSchema {
    private XpmgrSchema() {}

    static final String HEADER = """
            PacketLab experiment manager configuration (xpmgr.conf), read by `pktlab xpmgr` and the reference pktxpmgr.
            One option per line: the option name, blanks, then the value up to the end of the line (trailing
            blanks included). Lines starting with # are comments; there are no comments after a value.
            Relative paths are relative to the working directory of the manager, not to this file.
            Times are in nanoseconds.""";

    private static final String GENERAL = "Experiment identity";
    private static final String PUBLICATION = """
            Publication through a broker
            With EnableExpPublication 1 the manager announces the experiment to a broker, which tells
            subscribed endpoints to connect; BrokerAddr and PubAgentCertPath are then required and
            PubPeriod should be set. With 0 the manager only waits for endpoints that know its address.""";
    private static final String PROXY = """
            Active (proxy) mode, for managers that endpoints cannot reach directly
            With EnableProxyMode 1 the manager registers backlog connections with the proxy given by -a
            (default port 20557) instead of listening. The other options of this section are read (and
            their files checked) even when proxy mode is off.""";

    static final Option<Path> CONTROLLER_PRIVKEY_PATH = new Option<>("ControllerPrivkeyPath", Repeat.LATCHED, true,
            Values::path, GENERAL, """
            Required. The controller's (manager's) Ed25519 private key, PEM PKCS#8 (k_xc).""", "PATH");
    static final Option<ExpExec> EXP_EXEC = new Option<>("ExpExec", Repeat.ACCUMULATING, true,
            ExpExec::read, GENERAL, """
            At least one. An experiment privilege offered to endpoints, one line each:
              ExpExec IS_DEFAULT:SNIKEY:EXPPRIVCHAIN_PATH:TRUSTEDEOP_PATH:PUB_CHANNEL:OVERRIDE_XDESCRNVP
            IS_DEFAULT 1 = also serves endpoints that send no SNI (at most one line); SNIKEY empty = random;
            EXPPRIVCHAIN_PATH = the chain's certificates (comma-separated, any order); TRUSTEDEOP_PATH =
            endpoint-operator public keys the chain must verify against and endpoints are checked with
            (empty = endpoints unchecked); PUB_CHANNEL = hex channel ids to publish to (empty = the key
            channel); OVERRIDE_XDESCRNVP = name=value; pairs added to the published descriptor.""",
            "0::CHAIN.cert,...:EOP.pub::");
    static final Option<Path> PROGRAM_DIR_PATH = new Option<>("ProgramDirPath", Repeat.LATCHED, true,
            Values::dir, GENERAL, """
            Directory of monitor programs (*.wasm, *.ebpf) submitted to endpoints. Absent = none.""", "DIR");

    static final Option<Boolean> ENABLE_EXP_PUBLICATION = new Option<>("EnableExpPublication", Repeat.LATCHED, false,
            (v, c) -> Values.bool(v), PUBLICATION, """
            Required. 1 = publish the experiment through a broker, 0 = do not publish.""", "0");
    static final Option<AgentAddress> BROKER_ADDR = new Option<>("BrokerAddr", Repeat.LATCHED, true,
            (v, c) -> Values.address(v), PUBLICATION, """
            Broker address ADDR[:PORT] (default port 20556; IPv6 as [ADDR]:PORT). Resolved when the file is read.""",
            "ADDR[:PORT]");
    static final Option<Path> PUB_AGENT_CERT_PATH = new Option<>("PubAgentCertPath", Repeat.LATCHED, true,
            Values::path, PUBLICATION, """
            The manager's agent certificate for the broker (subject = the controller key), e.g. certs/agent_xc_xc.cert.""",
            "PATH");
    static final Option<List<Path>> BROKER_CERT_ROOT_PATH = new Option<>("BrokerCertRootPath", Repeat.LATCHED, true,
            Values::pathList, PUBLICATION, """
            Public keys trusted for the broker's agent certificate (comma-separated). Absent = the broker is not checked.""",
            "PATH[,PATH...]");
    static final Option<AgentAddress> PUB_CONTROLLER_ADDR = new Option<>("PubControllerAddr", Repeat.LATCHED, true,
            (v, c) -> Values.address(v), PUBLICATION, """
            The address endpoints are told to connect to (controller_addr); absent = inferred. -p overrides it.""",
            "ADDR[:PORT]");
    static final Option<Duration> PUB_PERIOD = new Option<>("PubPeriod", Repeat.LATCHED, true,
            (v, c) -> Values.nanos(v), PUBLICATION, """
            How long the publication lasts, in nanoseconds (31536000000000000 = 365 days). Set it when publishing:
            without it the manager publishes and stops at once.""", "NANOSECONDS");
    static final Option<Long> PUB_EXP_PRIORITY = new Option<>("PubExpPriority", Repeat.LATCHED, true,
            (v, c) -> Values.u64(v), PUBLICATION, """
            Experiment priority published as exp_priority (endpoints compare it with their certificate caps).""",
            "NUMBER");
    static final Option<List<String>> PUB_COUNTRY = new Option<>("PubCountry", Repeat.LATCHED, true,
            (v, c) -> XpmgrConf.countries(Values.items(v)), PUBLICATION, """
            Countries of the endpoints wanted, comma-separated ISO 3166-1 alpha-3 codes in upper case (USA,CAN).""",
            "AAA[,BBB...]");
    static final Option<List<String>> PUB_LOCATION = new Option<>("PubLocation", Repeat.LATCHED, true,
            (v, c) -> XpmgrConf.locations(Values.items(v)), PUBLICATION, """
            Locations of the endpoints wanted, comma-separated Maidenhead locators in upper case, * and ? allowed (FN*).""",
            "LOCATOR[,LOCATOR...]");
    static final Option<Duration> GREET_PERIOD_AFTER_PUB_END = new Option<>("GreetPeriodAfterPubEnd", Repeat.LATCHED, true,
            (v, c) -> Values.nanos(v), PUBLICATION, """
            How long to keep accepting endpoints after the publication ended, in nanoseconds.""", "0");

    static final Option<Boolean> ENABLE_PROXY_MODE = new Option<>("EnableProxyMode", Repeat.LATCHED, false,
            (v, c) -> Values.bool(v), PROXY, """
            1 = active mode through a proxy (needs -a PROXY[:PORT] on the command line), 0 = listen for endpoints.""",
            "0");
    static final Option<Path> BACKLOG_CONN_AGENT_CERT_PATH = new Option<>("BacklogConnAgentCertPath", Repeat.LATCHED, true,
            Values::path, PROXY, """
            The manager's agent certificate for the proxy (subject = the controller key). Absent = no client certificate.""",
            "PATH");
    static final Option<List<Path>> PROXY_CERT_ROOT_PATH = new Option<>("ProxyCertRootPath", Repeat.LATCHED, true,
            Values::pathList, PROXY, """
            Public keys trusted for the proxy's agent certificate (comma-separated). Absent = the proxy is not checked.""",
            "PATH[,PATH...]");
    static final Option<Long> TARGET_BACKLOG_CONN = new Option<>("TargetBacklogConn", Repeat.LATCHED, true,
            XpmgrSchema::targetBacklogConn, PROXY, """
            Number of idle backlog connections kept registered with the proxy (> 0).""", "2");
    static final Option<Duration> BACKLOG_CONN_TIMEOUT = new Option<>("BacklogConnTimeout", Repeat.LATCHED, true,
            (v, c) -> Values.nanos(v), PROXY, """
            Timeout of each step of a backlog registration, in nanoseconds.""", "2000000000");
    static final Option<Duration> BOOTSTRAP_BACKLOG_TIMEOUT = new Option<>("BootstrapBacklogTimeout", Repeat.LATCHED, true,
            (v, c) -> Values.nanos(v), PROXY, """
            How long to wait for the first backlog connections at start, in nanoseconds.""", "5000000000");

    static final List<Option<?>> OPTIONS = List.of(
            CONTROLLER_PRIVKEY_PATH, EXP_EXEC, PROGRAM_DIR_PATH,
            ENABLE_EXP_PUBLICATION, BROKER_ADDR, PUB_AGENT_CERT_PATH, BROKER_CERT_ROOT_PATH, PUB_CONTROLLER_ADDR,
            PUB_PERIOD, PUB_EXP_PRIORITY, PUB_COUNTRY, PUB_LOCATION, GREET_PERIOD_AFTER_PUB_END,
            ENABLE_PROXY_MODE, BACKLOG_CONN_AGENT_CERT_PATH, PROXY_CERT_ROOT_PATH, TARGET_BACKLOG_CONN,
            BACKLOG_CONN_TIMEOUT, BOOTSTRAP_BACKLOG_TIMEOUT);

    /** [quirk] the reference silently ignores a non-numeric value and keeps the default; we warn. */
    private static Long targetBacklogConn(String value, Option.Context context) throws InvalidValueException {
        long n;
        try {
            n = Values.u64(value);
        } catch (InvalidValueException e) {
            context.warn("not a number (" + e.getMessage() + "): ignored as the reference does, default "
                    + XpmgrConf.DEFAULT_TARGET_BACKLOG_CONN + " used");
            return XpmgrConf.DEFAULT_TARGET_BACKLOG_CONN;
        }
        if (n == 0) {
            throw new InvalidValueException("must be greater than 0");
        }
        return n;
    }
}
