package org.packetlab.cli;

import io.netty.util.NetUtil;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.packetlab.config.PktlabHome;
import org.packetlab.portal.Portal;
import org.packetlab.portal.PortalPolicy;
import org.packetlab.ppks.Ed25519PrivateKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code pktlab portal}: serves the privilege portal of a home's endpoint operator key until Ctrl-C. */
@Command(name = "portal",
        mixinStandardHelpOptions = true,
        description = {
                "Serve a privilege portal: a web page where experimenters upload the certificate request "
                        + "that pktlab init made for them (csrs/exppriv_exper.csr) and download an experiment "
                        + "privilege signed with this home's endpoint operator key (keys/k_eop), with the "
                        + "operator's public key and the commands that install it.",
                "What is signed (type, validity, limits, who may ask) comes from the policy file; without one, "
                        + "anyone who reaches the page gets an exppriv valid 30 days with no limits. Every "
                        + "certificate is recorded in the issuance log. Runs until Ctrl-C."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab portal                                   http://127.0.0.1:20580/, default policy",
                "  pktlab portal --policy lab.properties           the policy of lab.properties",
                "  pktlab portal --listen 0.0.0.0:8080 --policy lab.properties",
                "                                                  reachable from other machines",
                "Policy files are described in docs/portal.md."})
final class PortalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", converter = ListenConverter.class,
            description = "Address to listen on (default: 127.0.0.1:" + Portal.DEFAULT_PORT + ", this machine only; "
                    + "0.0.0.0:PORT or [::]:PORT for every interface).")
    InetSocketAddress listen = new InetSocketAddress(NetUtil.LOCALHOST4, Portal.DEFAULT_PORT);

    @Option(names = "--policy", paramLabel = "FILE", description = "The policy file (default: exppriv, 30 days, no limits, anyone may ask).")
    Path policyFile;

    @Option(names = "--log", paramLabel = "FILE", description = "The issuance log (default: portal/issued.jsonl in the home).")
    Path logFile;

    @Override
    public Integer call() throws Exception {
        PktlabHome h = home.home();
        PortalPolicy policy = policyFile == null ? PortalPolicy.defaults() : PortalPolicy.load(policyFile);
        Ed25519PrivateKey key = operatorKey(h);
        Path log = logFile != null ? logFile : h.dir().resolve("portal").resolve("issued.jsonl");
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        try (Portal portal = Portal.builder().operatorKey(key).policy(policy).listen(listen).issuanceLog(log).start()) {
            Thread hook = new Thread(() -> {
                portal.close();
                stopped.countDown();
            }, "pktlab-portal-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("PacketLab privilege portal at " + portal.url());
            out.println("  operator key  " + h.privateKeyFile(PktlabHome.K_EOP) + " (key id " + key.keyId().hex() + ")");
            out.println("  policy        " + policy + (policyFile == null ? " (default)" : " from " + policyFile));
            out.println("  issuance log  " + log + " (" + portal.issuedCount() + " certificate(s) so far)");
            if (!listen.getAddress().isLoopbackAddress() && !policy.requiresInvitationCode() && policy.allowedKeyIds().isEmpty()) {
                spec.commandLine().getErr().println("pktlab portal: warning: anyone who reaches " + portal.url()
                        + " gets a privilege; set invitation_code or allow_key_ids in a policy file");
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                // stopped from within the JVM (embedding, tests) rather than by a signal
                Thread.currentThread().interrupt();
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        out.println("Portal stopped.");
        out.flush();
        return 0;
    }

    /** Reads {@code keys/k_eop}, asking for its passphrase on the terminal when it is encrypted. */
    private static Ed25519PrivateKey operatorKey(PktlabHome h) throws IOException {
        Path file = h.privateKeyFile(PktlabHome.K_EOP);
        if (!Files.exists(file)) {
            throw new IllegalStateException("no operator key " + file + ": run `pktlab init` first (or give --home)");
        }
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!Ed25519PrivateKey.isEncryptedPem(pem)) {
            return Ed25519PrivateKey.parsePem(pem);
        }
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException(file + " is encrypted: run pktlab portal in a terminal to type its passphrase");
        }
        char[] pass = console.readPassword("Passphrase for %s: ", file);
        try {
            return Ed25519PrivateKey.parsePem(pem, pass);
        } finally {
            Arrays.fill(pass, '\0');
        }
    }

    /** {@code ADDR:PORT} with an IP address (IPv6 in brackets); never resolves names. */
    static final class ListenConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("'" + value + "' is not ADDR:PORT (e.g. 127.0.0.1:20580 or [::1]:20580)");
            }
            String host = value.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
            String port = value.substring(colon + 1);
            if (ip == null || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                throw new TypeConversionException("'" + value + "' is not ADDR:PORT with an IP address and a port 0-65535");
            }
            try {
                return new InetSocketAddress(InetAddress.getByAddress(ip), Integer.parseInt(port));
            } catch (java.net.UnknownHostException e) {
                throw new TypeConversionException("'" + value + "': " + e.getMessage());
            }
        }
    }
}
