package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.proxy.Proxy;
import org.packetlab.tls.TlsIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pktlab proxy}: a PacketLab proxy for managers behind NAT (spec/agents.md §A.8), until Ctrl-C. */
@Command(name = "proxy",
        mixinStandardHelpOptions = true,
        description = {
                "Run a PacketLab proxy, as pktproxy.caida.org does for the reference: managers behind NAT "
                        + "(proxy mode, -a ADDR) keep backlog connections registered on the setup port, one "
                        + "snikey each; endpoints connect to the endpoint port as if it were the manager, and "
                        + "each is relayed byte for byte to a backlog connection of the snikey its TLS "
                        + "ClientHello names. Runs until Ctrl-C.",
                "The proxy presents an agent certificate. Without --key and --cert it uses keys/k_prx and "
                        + "certs/agent_prx_prx.cert of the home, creating them (self-signed) on first run; "
                        + "managers may pin it with ProxyCertRootPath keys/k_prx.pub."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab proxy                                   ports 20557 (managers) and 20556 (endpoints)",
                "  pktlab proxy --setup-listen 127.0.0.1:30557 --endpoint-listen 127.0.0.1:30556",
                "  pktlab proxy --root keys/k_xc.pub              only managers whose agent certificate",
                "                                                 k_xc signed may register"})
final class ProxyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--setup-listen", paramLabel = "ADDR[:PORT]",
            description = "Where managers register (default: all addresses, port " + Proxy.DEFAULT_SETUP_PORT + ").")
    String setupListen;

    @Option(names = "--endpoint-listen", paramLabel = "ADDR[:PORT]",
            description = "Where endpoints connect (default: all addresses, port " + Proxy.DEFAULT_ENDPOINT_PORT + ").")
    String endpointListen;

    @Option(names = "--key", paramLabel = "PRIV", description = "The proxy's private key (unencrypted PEM); needs --cert.")
    Path key;

    @Option(names = "--cert", paramLabel = "AGENT_CERT", description = "The proxy's agent certificate for --key.")
    Path cert;

    @Option(names = "--root", paramLabel = "PUB",
            description = "A key that must have signed the managers' agent certificates (repeatable). "
                    + "Without any, managers may register without a certificate.")
    List<Path> roots = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if ((key == null) != (cert == null)) {
            throw new ParameterException(spec.commandLine(), "--key and --cert go together");
        }
        PrintWriter out = spec.commandLine().getOut();
        TlsIdentity identity = key != null
                ? TlsIdentity.of(Ed25519PrivateKey.read(key), Cert.readAll(cert))
                : homeIdentity(home.home(), out);
        List<Ed25519PublicKey> rootKeys = new ArrayList<>();
        for (Path r : roots) {
            rootKeys.add(Ed25519PublicKey.read(r));
        }
        Proxy proxy = Proxy.builder().identity(identity).managerRoots(rootKeys)
                .setupListen(listen(setupListen, "--setup-listen", AgentAddress.DefaultPort.PROXY))
                .endpointListen(listen(endpointListen, "--endpoint-listen", AgentAddress.DefaultPort.MANAGER))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            proxy.close();
            stopped.countDown();
        }, "pktlab-proxy-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("pktlab proxy: managers register on " + proxy.setupAddress() + ", endpoints connect to "
                + proxy.endpointAddress() + "; agent key " + identity.key().keyId().hex() + ". Ctrl-C stops.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proxy.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        return 0;
    }

    private InetSocketAddress listen(String text, String option, AgentAddress.DefaultPort use) {
        if (text == null) {
            return new InetSocketAddress(use.port());
        }
        try {
            return AgentAddress.parse(text).resolve(use);
        } catch (IllegalArgumentException | IOException e) {
            throw new ParameterException(spec.commandLine(), option + " " + text + ": " + e.getMessage(), e);
        }
    }

    /** The home's proxy identity, created (key pair and self-signed agent certificate) when missing. */
    static TlsIdentity homeIdentity(PktlabHome home, PrintWriter out) throws IOException, CertException {
        List<Path> created = home.ensureProxyCredentials();
        if (created.contains(home.privateKeyFile(PktlabHome.K_PRX))) {
            out.println("created the proxy's key pair " + home.privateKeyFile(PktlabHome.K_PRX) + " (.pub)");
        }
        if (created.contains(home.certFile(PktlabHome.AGENT_PRX_PRX))) {
            out.println("created the proxy's agent certificate " + home.certFile(PktlabHome.AGENT_PRX_PRX));
        }
        return TlsIdentity.of(home.privateKey(PktlabHome.K_PRX), Cert.readAll(home.certFile(PktlabHome.AGENT_PRX_PRX)));
    }

}
