package org.packetlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.SessionOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab endpt}: the reference's {@code pktendpt} command line (spec/agents.md §C.1) in
 * NoSubMode: one experiment with the controller given on the command line, then exit 0.
 */
@Command(name = "endpt", mixinStandardHelpOptions = true,
        description = {
                "Run a PacketLab endpoint (the reference's pktendpt) in NoSubMode: connect to the experiment "
                        + "controller at ADDR[:PORT] (default 127.0.0.1:20556), serve the experiment, and exit 0 "
                        + "when it ends. Events are logged one line each on stderr.",
                "Subscription to a broker (NoSubMode 0) and monitors (-m) are not supported yet."},
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
        if (!c.noSubMode()) {
            throw new IllegalArgumentException(file + ": NoSubMode 0 (subscription to a broker) is not supported yet;"
                    + " set NoSubMode 1 and give the controller's ADDR[:PORT]");
        }
        PrintWriter err = spec.commandLine().getErr();
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

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (SIGINT): the hook is closing the endpoint, nothing to undo
        }
    }
}
