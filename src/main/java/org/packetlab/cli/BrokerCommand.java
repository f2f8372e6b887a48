package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.packetlab.broker.Broker;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pktlab broker}: runs a PacketLab broker until interrupted. */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        description = {
                "Run a PacketLab broker: managers publish experiment descriptors on the publication port "
                        + "(default 20556), endpoints subscribe on the subscription port (default 20557), and the "
                        + "broker forwards each descriptor to the endpoints whose channels and attributes match. "
                        + "Private channels need privilege chains (pubcmd/exppriv for managers, subcmd for endpoints); "
                        + "public channels need none. Runs until Ctrl-C.",
                "The broker presents an agent certificate signed by a broker operator (BOp) key, which managers "
                        + "(BrokerCertRootPath) and endpoints (BrokerChainRootPath) must trust. Without --key and "
                        + "--cert it uses keys/k_brk and certs/agent_bop_brk.cert of the PacketLab home, creating them "
                        + "and the BOp key keys/k_bop on first run, and prints the BOp public key to hand out."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab broker                              both ports on all addresses",
                "  pktlab broker --pub-listen 127.0.0.1:20556 --sub-listen 127.0.0.1:20557",
                "  pktlab broker --key k_brk --cert agent_bop_brk.cert"})
final class BrokerCommand implements Callable<Integer> {
    static final String K_BRK = PktlabHome.K_BRK;
    static final String K_BOP = PktlabHome.K_BOP;
    static final String AGENT_BOP_BRK = PktlabHome.AGENT_BOP_BRK;

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--pub-listen", paramLabel = "ADDR:PORT", defaultValue = "0.0.0.0:" + Broker.PUBLICATION_PORT,
            description = "Publication address for managers (default: ${DEFAULT-VALUE}).")
    String pubListen;

    @Option(names = "--sub-listen", paramLabel = "ADDR:PORT", defaultValue = "0.0.0.0:" + Broker.SUBSCRIPTION_PORT,
            description = "Subscription address for endpoints (default: ${DEFAULT-VALUE}).")
    String subListen;

    @ArgGroup(exclusive = false)
    Identity identity;

    /** An identity given on the command line instead of the home's. */
    static final class Identity {
        @Option(names = "--key", required = true, paramLabel = "PRIV", description = "The broker's private key (PEM, unencrypted).")
        Path key;

        @Option(names = "--cert", required = true, paramLabel = "AGENT_CERT",
                description = "The broker's agent certificate (subject = --key), signed by the broker operator key.")
        Path cert;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Broker.Builder b = Broker.builder()
                .publicationAddress(address(pubListen, AgentAddress.DefaultPort.BROKER_PUBLISH))
                .subscriptionAddress(address(subListen, AgentAddress.DefaultPort.BROKER_SUBSCRIBE));
        if (identity != null) {
            b.identity(Ed25519PrivateKey.read(identity.key), Cert.read(identity.cert));
        } else {
            PktlabHome h = home.home();
            for (Path created : homeIdentity(h)) {
                out.println("Created " + created);
            }
            b.identity(h.privateKey(K_BRK), h.cert(AGENT_BOP_BRK));
            out.println("Broker operator public key (give it to managers as BrokerCertRootPath and to endpoints as "
                    + "BrokerChainRootPath): " + h.publicKeyFile(K_BOP));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Broker broker = b.start();
        // Ctrl-C runs the hook: it closes the broker (withdrawing every publication) before the JVM exits
        Thread hook = new Thread(() -> {
            broker.close();
            stop.countDown();
        }, "pktlab-broker-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("Broker serving publications on " + broker.publicationAddress() + " and subscriptions on "
                    + broker.subscriptionAddress() + "; Ctrl-C stops it.");
            out.flush();
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
        } finally {
            broker.close();
        }
        out.println("Broker stopped.");
        out.flush();
        return 0;
    }

    private static InetSocketAddress address(String text, AgentAddress.DefaultPort use) throws IOException {
        return AgentAddress.parse(text).resolve(use);
    }

    /** Makes sure the home holds the broker's identity (see {@link PktlabHome#brokerIdentity()}); returns the files created. */
    static List<Path> homeIdentity(PktlabHome h) throws IOException {
        return h.brokerIdentity();
    }
}
