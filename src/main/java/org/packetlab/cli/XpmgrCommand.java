package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.extmlet.ExternalMlet;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.Manager;
import org.packetlab.manager.PublicationStatus;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab xpmgr}, the reference's {@code pktxpmgr} (spec/agents.md §A.1) in listen or proxy mode: reads
 * {@code xpmgr.conf}, accepts endpoints, runs a Java mlet on each, prints each endpoint's result
 * as it completes and a results table at the end. The first Ctrl-C stops accepting and lets
 * running mlets finish; the second exits at once.
 */
@Command(name = "xpmgr", separator = " ",
        description = "Experiment manager: accept endpoints (listening, or through a proxy with EnableProxyMode 1), run MLET on each, print the results.",
        customSynopsis = "pktlab xpmgr [-hs] [-c CONF] [-a ADDR[:PORT]] [-p ADDR[:PORT]] [-i HOSTID] [-n N] MLET [ARGS...]",
        modelTransformer = XpmgrCommand.OptionsBeforeMlet.class,
        footer = {"", "MLET is a Java mlet: a class name, or the simple name of an example mlet (HttpGet, Dns, VmemDump);",
                "or an executable file (such as a reference C mlet), started per endpoint with the endpoint on its fd 0,",
                "EPADDR in its environment and this command's output as its own (with -s: started once for all endpoints).",
                "Options come before MLET; everything after it goes to the mlet (as with the reference's getopt).",
                "", "Example (the reference tutorial's first local experiment):",
                "  pktlab xpmgr -n 1 HttpGet 127.0.0.1 /index.html"})
final class XpmgrCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Option(names = "-s", description = "singleton-mlet mode (one mlet process for all endpoints; MLET must be an executable)")
    boolean singleton;

    @Option(names = "-c", paramLabel = "CONF", description = "configuration file (default: $HOME/.pktlab/xpmgr.conf)")
    Path conf;

    @Option(names = "-a", paramLabel = "ADDR[:PORT]",
            description = "address to listen on (default: 0.0.0.0:20556); with EnableProxyMode 1, the proxy to register with (default port 20557)")
    String listen;

    @Option(names = "-p", paramLabel = "ADDR[:PORT]", description = "controller address to publish (default: PubControllerAddr, else the address listened on)")
    String publish;

    @Option(names = "-i", paramLabel = "HOSTID", description = "run only on endpoints whose host id matches this pattern (* and ?)")
    String hostId;

    @Option(names = "-n", paramLabel = "N", description = "stop accepting endpoints after N sessions were set up (default: no limit)")
    String attempts;

    @Mixin
    PassphraseOptions passphrase;

    @Parameters(index = "0", paramLabel = "MLET", description = "the mlet to run on each endpoint")
    String mlet;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "words for the mlet")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        long n = attempts == null ? Long.MAX_VALUE : parseAttempts(attempts);
        ExternalMlet external = externalMlet();
        Mlet<?> m = external == null ? loadMlet() : null;
        Path confFile = conf != null ? conf : defaultConf();
        XpmgrConf c = XpmgrConf.load(confFile).config();
        if (c.enableProxyMode() && listen == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    confFile + " sets EnableProxyMode 1: proxy mode needs the proxy's address, -a ADDR[:PORT]");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Manager.Builder b = Manager.builder().config(c, passphrase.readKey(c.controllerPrivkeyPath())).attempts(n);
        if (listen != null && c.enableProxyMode()) {
            b.proxy(address(listen));
        } else if (listen != null) {
            b.listen(address(listen).resolve(AgentAddress.DefaultPort.MANAGER));
        }
        if (publish != null) {
            b.publicationAddress(address(publish));
        }
        if (hostId != null) {
            b.hostId(hostId);
        }
        try (Manager manager = b.build()) {
            InetSocketAddress bound = manager.boundAddress();
            out.println("pktlab xpmgr: " + (manager.proxy().isPresent() ? "registered with the proxy at " : "listening on ")
                    + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "; running " + mlet
                    + (n == Long.MAX_VALUE ? " on every endpoint" : " on " + n + " endpoint" + (n == 1 ? "" : "s"))
                    + (hostId == null ? "" : " whose host id matches " + hostId) + " (Ctrl-C stops)");
            manager.publication().ifPresent(p -> out.println("pktlab xpmgr: publishing through the broker at " + p.broker()));
            if (manager.proxy().isPresent()) {
                // without a broker, endpoints must be told the snikey: the proxy routes by SNI
                out.println("pktlab xpmgr: endpoints reach this manager through the proxy's endpoint port with SNI "
                        + manager.identities().stream().map(id -> id.snikey().value()).collect(Collectors.joining(" or ")));
            }
            out.flush();
            Run<?> run = external != null ? manager.start(external, new Progress<>(out)) : start(manager, m, out);
            Results<?> results = runUntilDone(run, err);
            out.println();
            out.print(results.table().toText());
            out.flush();
            if (run.publication().orElse(null) instanceof PublicationStatus.Failed failed) {
                throw new IOException(failed.describe());
            }
            run.publication().ifPresent(status -> out.println("pktlab xpmgr: " + status.describe()));
        }
        return 0;
    }

    private static <T> Run<T> start(Manager manager, Mlet<T> mlet, PrintWriter out) {
        return manager.start(mlet, new Progress<>(out));
    }

    private static <T> Results<T> runUntilDone(Run<T> run, PrintWriter err) throws InterruptedException {
        Interrupts interrupts = Interrupts.onFirst(() -> {
            err.println("pktlab xpmgr: stopping: accepting no more endpoints, waiting for running mlets (Ctrl-C again quits)");
            err.flush();
            run.stop();
        });
        try {
            return run.await();
        } finally {
            interrupts.close();
        }
    }

    /** One line per endpoint as it is done with. */
    private static final class Progress<T> implements RunListener<T> {
        private final PrintWriter out;
        private final AtomicInteger done = new AtomicInteger();

        Progress(PrintWriter out) {
            this.out = out;
        }

        private void print(EndpointResult<? extends T> r) {
            String line = String.format(Locale.ROOT, "%d. %s %s%s: %s", done.incrementAndGet(), r.endpointText(),
                    r.hostId().isEmpty() ? "" : "(" + r.hostId() + ") ", r.status().label(), r.summary());
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        @Override
        public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends T> result) {
            print(result);
        }

        @Override
        public void mletFinished(EndpointRef endpoint, EndpointResult<? extends T> result) {
            print(result);
        }

        @Override
        public void sessionFailed(EndpointRef endpoint, EndpointResult<? extends T> result) {
            print(result);
        }

        @Override
        public void notice(String text) {
            synchronized (out) {
                out.println("pktlab xpmgr: " + text);
                out.flush();
            }
        }
    }

    /**
     * The external mlet MLET names (spec/agents.md §A.6), with the manager's own output as its
     * output as in the reference; null when MLET names a Java mlet. A path (a word with a
     * {@code /}) that is no executable file is a usage error saying why.
     */
    private ExternalMlet externalMlet() {
        Path file = Path.of(mlet);
        if (mlet.endsWith(".java") || !(mlet.contains("/") || ExternalMlet.isExecutableFile(file))) {
            if (singleton) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "-s (singleton mlet mode) runs an executable file; " + mlet + " is a Java mlet", null, mlet);
            }
            return null;
        }
        try {
            return ExternalMlet.of(file, args).singleton(singleton).output(ExternalMlet.Output.INHERIT);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, mlet);
        }
    }

    private Mlet<?> loadMlet() {
        try {
            return Mlet.load(mlet, args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, mlet);
        }
    }

    private AgentAddress address(String text) {
        try {
            return AgentAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bad address \"" + text + "\": " + e.getMessage(), e, null, text);
        }
    }

    private Path defaultConf() {
        String home = System.getenv("HOME");
        if (home == null || home.isEmpty()) {
            spec.commandLine().getErr().println("pktlab xpmgr: HOME is not set; using ./xpmgr.conf");
            return Path.of(PktlabHome.XPMGR_CONF);
        }
        return PktlabHome.defaultDirectory().resolve(PktlabHome.XPMGR_CONF);
    }

    /**
     * {@code -n} as the reference reads it ({@code strtoumax(s, 0)}): decimal, {@code 0x} hex or
     * leading-0 octal, an optional sign, a negative number wrapping to a huge count; values past
     * 2^63-1 mean "no limit". Unlike the reference, text that is not a number is refused rather
     * than read as 0; 0 is refused as the reference does.
     */
    long parseAttempts(String text) {
        String s = text.strip();
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int radix = 10;
        if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
            radix = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        BigInteger v;
        try {
            v = new BigInteger(s, radix);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n: \"" + text + "\" is not a number", e, null, text);
        }
        if (v.signum() < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n: \"" + text + "\" is not a number");
        }
        if (v.signum() == 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-n: the attempt count must not be 0");
        }
        // a negative count wraps to 2^64 - v: in practice no limit, as is any count past 2^63-1
        return negative || v.bitLength() > 63 ? Long.MAX_VALUE : v.longValueExact();
    }

    /** Options stop at the first positional argument (POSIX getopt), so the mlet's own words may start with '-'. */
    static final class OptionsBeforeMlet implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.parser().stopAtPositional(true);
            return spec;
        }
    }
}
