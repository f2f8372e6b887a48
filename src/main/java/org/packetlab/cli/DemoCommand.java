package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.packetlab.broker.Broker;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.PublicationInfo;
import org.packetlab.broker.SubscriptionInfo;
import org.packetlab.examples.Dns;
import org.packetlab.examples.HttpGet;
import org.packetlab.examples.VmemDump;
import org.packetlab.lab.Lab;
import org.packetlab.manager.PublicationStatus;
import org.packetlab.manager.Run;
import org.packetlab.manager.RunListener;
import org.packetlab.mlet.Mlet;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.wire.NameValues;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab demo}: the first local experiment of the reference tutorial, done in one JVM. It
 * starts an embedded {@link Lab} (target HTTP server, DNS responder, experiment manager, endpoints),
 * runs the example mlets HttpGet, Dns and VmemDump through every endpoint, then HttpGet once more
 * through a broker (the published flow), prints a results table per run and the HTTP response, and
 * stops everything.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Run a complete local experiment on an embedded lab: a target web server and DNS responder, an experiment"
                        + " manager and endpoints on loopback, with the credentials of a PacketLab home. Runs the example"
                        + " mlets HttpGet, Dns and VmemDump on every endpoint, then HttpGet through an embedded broker"
                        + " (the manager publishes, subscribed endpoints come), and prints the results.",
                "Takes a few seconds; nothing keeps running afterwards."})
final class DemoCommand implements Callable<Integer> {

    /** The name every lab DNS responder answers for (with 127.0.0.3). */
    static final String DNS_NAME = "pktlab.test";
    /** How long one run may take before it is cancelled. */
    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);
    /** slf4j-simple's level for our loggers. */
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.packetlab";

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoints", paramLabel = "N", defaultValue = "2",
            description = "How many endpoints to run (default: ${DEFAULT-VALUE}).")
    int endpoints;

    @Option(names = "--home", paramLabel = "DIR",
            description = "Use the PacketLab home in DIR, created as `pktlab init` does when it has no keys"
                    + " (default: a temporary home, deleted at the end).")
    Path home;

    @Option(names = {"-v", "--verbose"}, description = "Log what the manager and the endpoints do, on stderr.")
    boolean verbose;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (endpoints < 1 || endpoints > Lab.MAX_ENDPOINTS) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--endpoints " + endpoints + " is not in 1.." + Lab.MAX_ENDPOINTS);
        }
        if (!verbose && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            // slf4j-simple reads a logger's level when the logger is made: this quiets the lab's
            // agents (made below) so that the tables stand alone; warnings still show
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        PrintWriter out = spec.commandLine().getOut();
        long began = System.nanoTime();
        Lab.Builder builder = Lab.local().endpoints(endpoints);
        if (home != null) {
            builder.home(home);
        }
        int sessions = 4 * endpoints;
        int ok;
        try (Lab lab = builder.start()) {
            describe(lab, out);
            InetSocketAddress web = lab.httpTarget();
            String host = web.getAddress().getHostAddress();

            Results<HttpGet.Result> http = run(lab, out, 1, "HttpGet " + host + ":" + web.getPort() + " /index.html",
                    ep -> HttpGet.fetch(ep, host, web.getPort(), "/index.html"));
            http.stream().filter(EndpointResult::isOk).findFirst().ifPresent(r -> {
                out.println("   HTTP response received by " + r.hostId() + ":");
                r.value().response().lines().forEach(line -> out.println("   | " + line));
                out.println();
            });

            Results<Dns.Result> dns = run(lab, out, 2, "Dns " + DNS_NAME + " (resolver " + text(lab.dns()) + ")",
                    ep -> Dns.query(ep, DNS_NAME, lab.dns()));

            Results<VmemDump.Result> vmem = run(lab, out, 3, "VmemDump", VmemDump::read);
            vmem.stream().filter(EndpointResult::isOk).findFirst().ifPresent(r -> {
                out.println("   What " + r.hostId() + " exports:");
                r.value().table().toText().lines().skip(1).forEach(line -> out.println("   " + line));
                out.println();
            });
            Results<HttpGet.Result> published = publishedRun(lab, out, host, web.getPort());
            // a missing row (an endpoint the manager never saw) counts as a failure too
            ok = http.values().size() + dns.values().size() + vmem.values().size() + published.values().size();
        }
        int failed = sessions - ok;
        String took = String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - began) / 1e9);
        out.println("Done in " + took + ": 4 runs on " + endpoints + " endpoint" + (endpoints == 1 ? "" : "s") + ", "
                 + ok + " of " + sessions + " sessions ok; lab stopped, nothing left running.");
        out.println();
        printByHand(out);
        out.flush();
        if (failed > 0) {
            throw new IllegalStateException(failed + " of " + sessions + " sessions did not succeed (see the tables above)");
        }
        return 0;
    }

    private void describe(Lab lab, PrintWriter out) {
        out.println("PacketLab demo: an embedded lab in this JVM, on loopback");
        out.println("  home                " + lab.home().dir()
                + (lab.isTemporaryHome() ? "  (temporary; --home DIR keeps one)" : ""));
        out.println("  target web server   " + text(lab.httpTarget()));
        out.println("  DNS responder       " + text(lab.dns()) + "  (" + DNS_NAME + " is 127.0.0.3)");
        out.println("  experiment manager  " + text(lab.manager().boundAddress()) + "  (listen mode, xpmgr.conf of the home)");
        out.println("  endpoints           " + String.join(", ", lab.hostIds()) + "  (NoSubMode, endpt.conf of the home)");
        out.println();
    }

    /**
     * The published flow: the same home with a broker; the manager publishes the run, the endpoints
     * (subscribed, NoSubMode 0) are notified and come. Prints the descriptor and who was notified.
     */
    private static Results<HttpGet.Result> publishedRun(Lab lab, PrintWriter out, String host, int port)
            throws IOException, InterruptedException {
        Queue<String> notified = new ConcurrentLinkedQueue<>();
        BrokerListener listener = new BrokerListener() {
            @Override
            public void notified(SubscriptionInfo subscription, PublicationInfo publication) {
                notified.add(subscription.dattr().get("hostid").orElse(subscription.subscriber().toString()));
            }
        };
        try (Lab brokered = Lab.local().home(lab.home().dir()).endpoints(lab.endpointCount()).broker(listener).start()) {
            Broker broker = brokered.broker().orElseThrow();
            out.println("4. HttpGet " + host + ":" + port + " /index.html through a broker: the manager publishes the experiment,"
                    + " the subscribed endpoints come");
            out.println("   broker              " + text(broker.publicationAddress()) + " (publication), "
                    + text(broker.subscriptionAddress()) + " (subscription)");
            Run<HttpGet.Result> run = brokered.start(ep -> HttpGet.fetch(ep, host, port, "/index.html"), RunListener.none());
            Optional<Results<HttpGet.Result>> done = run.await(RUN_LIMIT);
            if (done.isEmpty()) {
                run.cancel();
            }
            Results<HttpGet.Result> r = done.isPresent() ? done.get() : run.await();
            List<NameValues> descriptors = switch (run.publication().orElse(null)) {
                case PublicationStatus.Published p -> p.descriptors();
                case PublicationStatus.Withdrawn w -> w.descriptors();
                case null, default -> List.of();
            };
            descriptors.forEach(d -> out.println("   published           " + d));
            out.println("   notified            " + notified.stream().sorted().collect(Collectors.joining(", ")));
            run.publication().ifPresent(status -> out.println("   now                 " + status.describe()));
            return print(out, r);
        }
    }

    /** Runs one mlet on every endpoint and prints its table, endpoints in host id order. */
    private static <T> Results<T> run(Lab lab, PrintWriter out, int n, String title, Mlet<T> mlet)
            throws InterruptedException {
        out.println(n + ". " + title);
        out.flush();
        return print(out, lab.run(mlet, RUN_LIMIT));
    }

    private static <T> Results<T> print(PrintWriter out, Results<T> r) {
        Results<T> sorted = Results.of(r.stream()
                .sorted(Comparator.comparingInt((EndpointResult<T> e) -> e.hostId().length()).thenComparing(EndpointResult::hostId))
                .toList());
        out.println(sorted.table().toText().lines().map(line -> "   " + line).collect(Collectors.joining("\n")));
        out.println();
        out.flush();
        return sorted;
    }

    private void printByHand(PrintWriter out) {
        String dir = home == null ? null : home.toAbsolutePath().normalize().toString();
        out.println("The same by hand, one process per agent (the reference tutorial's way):");
        byHand(out, "./pktlab init" + (dir == null ? "" : " --home " + dir), "once: keys, certificates, xpmgr.conf, endpt.conf");
        byHand(out, "./pktlab xpmgr" + (dir == null ? "" : " -c " + dir + "/xpmgr.conf") + " -n 1 HttpGet 127.0.0.1:8080 /index.html",
                "terminal 1: the manager waits on port 20556");
        byHand(out, "./pktlab endpt" + (dir == null ? "" : " -c " + dir + "/endpt.conf"),
                "terminal 2: an endpoint connects to it");
        out.println("  (the target: any web server on 127.0.0.1:8080, e.g. python3 -m http.server 8080 --bind 127.0.0.1)");
        out.println("In Java: try (Lab lab = Lab.local().endpoints(2).start()) { System.out.println(lab.run(VmemDump::read).table()); }");
        out.println("Through a broker: Lab.local().endpoints(2).broker().start(); by hand, ./pktlab broker, then EnableExpPublication 1"
                + " in xpmgr.conf and NoSubMode 0 in endpt.conf (BrokerAddr, and keys/k_bop.pub as the broker root).");
    }

    private static void byHand(PrintWriter out, String command, String comment) {
        out.println(String.format(Locale.ROOT, "  %-58s # %s", command, comment));
    }

    private static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
