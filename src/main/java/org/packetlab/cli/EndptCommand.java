package org.packetlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.packetlab.broker.BrokerSubscriber;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.EndpointSubscriber;
import org.packetlab.endpoint.ExperimentPool;
import org.packetlab.endpoint.PoolEntry;
import org.packetlab.endpoint.SessionOutcome;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.wire.NameValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab endpt}: the reference's {@code pktendpt} command line (spec/agents.md §C.1): one experiment with the
 * controller given on the command line (NoSubMode), or the experiments a broker notifies (NoSubMode 0).
 */
@Command(name = "endpt", mixinStandardHelpOptions = true,
        description = {
                "Run a PacketLab endpoint (the reference's pktendpt). NoSubMode 1: connect to the experiment "
                        + "controller at ADDR[:PORT] (default 127.0.0.1:20556), serve the experiment, and exit 0 "
                        + "when it ends. NoSubMode 0: subscribe at BrokerAddr and run every experiment the broker "
                        + "notifies, by priority, until Ctrl-C. Events are logged one line each on stderr.",
                "Monitors (-m) are not supported yet."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab endpt                  endpoint of ~/.pktlab, manager at 127.0.0.1:20556",
                "  pktlab endpt -c ep.conf 10.0.0.5:20556"})
final class EndptCommand implements Callable<Integer> {
    /** Controller address when none is given (spec/agents.md §C.1). */
    static final String DEFAULT_CONTROLLER = "127.0.0.1:20556";

    @Spec
    CommandSpec spec;

    @Option(names = "-c", paramLabel = "EP_CONF_PATH", description = "endpoint configuration (default: $HOME/.pktlab/endpt.conf)")
    Path conf;

    @Option(names = "-m", paramLabel = "MONITOR_PATH", description = "auxiliary WebAssembly monitor (not supported yet)")
    List<Path> monitors = List.of();

    @Parameters(arity = "0..1", paramLabel = "ADDR[:PORT]", description = "experiment controller (default " + DEFAULT_CONTROLLER + ")")
    String controller;

    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() throws Exception {
        if (!monitors.isEmpty()) {
            throw new IllegalArgumentException("-m " + monitors.getFirst() + ": monitors not supported yet (WebAssembly monitors are not implemented)");
        }
        Path file = conf != null ? conf : PktlabHome.atDefault().endptConfFile();
        EndptConf c = EndptConf.load(file).config();
        PrintWriter err = spec.commandLine().getErr();
        if (!c.noSubMode()) {
            return subscribe(c, passphrase.readKey(c.endpointPrivKey()), err);
        }
        try (Endpoint endpoint = Endpoint.builder(c, passphrase.readKey(c.endpointPrivKey())).build()) {
            Thread stop = new Thread(endpoint::close, "pktendpt-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            SessionOutcome how = endpoint.connect(controller != null ? controller : DEFAULT_CONTROLLER, c.noSubModeSniKey()).get();
            err.println("pktendpt: experiment ended: " + how.describe());
            err.flush();
            removeHook(stop);
        }
        return 0;
    }

    /** Subscription mode (spec/agents.md §C.2, §C.4): take experiments from the broker until Ctrl-C. */
    private static int subscribe(EndptConf c, Ed25519PrivateKey key, PrintWriter err) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        try (Endpoint endpoint = Endpoint.builder(c, key).build();
             ExperimentPool pool = ExperimentPool.builder(endpoint).listener(new PoolLines(err)).build();
             BrokerSubscriber subscriber = EndpointSubscriber.fromConfig(c, key).listener(n -> pool.offer(n.xdescr())).start()) {
            Thread hook = new Thread(() -> {
                subscriber.close();
                endpoint.close();
                stop.countDown();
            }, "pktendpt-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("pktendpt: subscribing at the broker " + c.brokerAddr().orElseThrow() + " (Ctrl-C stops)");
            err.flush();
            stop.await();
        }
        return 0;
    }

    /** One line on stderr per experiment event. */
    private record PoolLines(PrintWriter err) implements ExperimentPool.Listener {
        @Override
        public void discarded(NameValues xdescr, String reason) {
            line("descriptor " + xdescr + " ignored: " + reason);
        }

        @Override
        public void started(PoolEntry entry) {
            line("running " + entry);
        }

        @Override
        public void finished(PoolEntry entry, SessionOutcome outcome) {
            line(entry + " ended: " + outcome.describe());
        }

        private void line(String text) {
            synchronized (err) {
                err.println("pktendpt: " + text);
                err.flush();
            }
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (SIGINT): the hook is closing the endpoint, nothing to undo
        }
    }
}
