package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.packetlab.bench.Bench;
import org.packetlab.bench.Figure;
import org.packetlab.bench.BrokerBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab bench}: the {@link Bench} figures of an embedded lab on loopback, each with the
 * direct TLS baseline measured in the same run and their ratio, as a table or JSON.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Measure an embedded lab on loopback: mread round trips, a bulk download through ndata and concurrent"
                        + " endpoint sessions, and the broker's notification fan-out, each against a direct TLS 1.3"
                        + " baseline measured in the same run.",
                "Compare ratios, not absolute figures: they drift with the machine and its load."})
final class BenchCommand implements Callable<Integer> {
    private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.org.packetlab";

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "10000",
            description = "Sequential mreads to time (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--mib", paramLabel = "N", defaultValue = "64",
            description = "MiB to download (default: ${DEFAULT-VALUE}).")
    int mib;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10",
            description = "Untimed run of each side before the mread and download figures, so that both are measured"
                    + " at steady state (default: ${DEFAULT-VALUE}; 0 measures a cold JVM).")
    int warmUpSeconds;

    @Option(names = "--sessions", paramLabel = "N,...", split = ",", defaultValue = "10,100,1000",
            description = "Endpoint counts for the concurrent-session figures, each at most 10000; the endpoints run in a"
                    + " child JVM (default: ${DEFAULT-VALUE}).")
    List<Integer> sessions;

    @Option(names = "--broker", paramLabel = "N,...", split = ",", defaultValue = "1000",
            description = "Subscriber counts for the broker notification fan-out figures (default: ${DEFAULT-VALUE}).")
    List<Integer> brokerSubscribers;

    @Option(names = "--json", description = "Print the figures as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Bench bench;
        try {
            bench = Bench.builder().rounds(rounds).mib(mib).warmUp(Duration.ofSeconds(warmUpSeconds)).sessions(sessions).build();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
            System.setProperty(LOG_LEVEL_PROPERTY, "warn");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (brokerSubscribers.stream().anyMatch(n -> n < 1)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--broker: subscriber counts must be at least 1");
        }
        // the ratios degrade when other work competes for the cores: say how busy the machine was
        err.println("bench: " + load("at the start") + "; ratios degrade when other work competes for the cores");
        List<Figure> figures = new ArrayList<>(bench.run(step -> {
            err.println("bench: " + step);
            err.flush();
        }));
        for (int n : brokerSubscribers) {
            err.println("bench: broker fan-out to " + n + " subscribers");
            err.flush();
            figures.add(brokerFigure(n));
        }
        err.println("bench: " + load("at the end"));
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(figures) : table(figures));
        out.flush();
        return 0;
    }

    private static String load(String when) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        return "load average " + when + " " + (load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load))
                + " on " + os.getAvailableProcessors() + " processors";
    }

    /** The broker's fan-out to {@code n} subscribers against a plain TLS server writing to as many clients (docs/performance.md). */
    private static Figure brokerFigure(int n) throws IOException, InterruptedException {
        BrokerBench.Figures f;
        try {
            f = BrokerBench.run(n);
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("broker bench: " + e.getMessage(), e);
        }
        return new Figure("broker fan-out to " + n + " subscribers", "ms", f.fanOut().toNanos() / 1e6, f.baseline().toNanos() / 1e6,
                "TLS write to " + n + " clients", "≤ 2x", false);
    }

    static String table(List<Figure> figures) {
        String format = "%-62s %12s %12s %-28s %8s  %s%n";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, format, "figure", "ours", "baseline", "baseline is", "ratio", "target"));
        for (Figure f : figures) {
            b.append(String.format(Locale.ROOT, format, f.name() + " (" + f.unit() + ")", number(f.ours()), number(f.baseline()),
                    f.baselineName(), Double.isNaN(f.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", f.ratio()), f.target()));
        }
        return b.toString();
    }

    static String json(List<Figure> figures) {
        StringBuilder b = new StringBuilder("[\n");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            b.append(String.format(Locale.ROOT,
                    "  {\"figure\": \"%s\", \"unit\": \"%s\", \"ours\": %s, \"baseline\": %s, \"baselineIs\": \"%s\", \"ratio\": %s, \"target\": \"%s\"}%s%n",
                    f.name(), f.unit(), jsonNumber(f.ours()), jsonNumber(f.baseline()), f.baselineName(), jsonNumber(f.ratio()),
                    f.target(), i + 1 < figures.size() ? "," : ""));
        }
        return b.append("]\n").toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String jsonNumber(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }
}
