package org.packetlab.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.packetlab.config.InstalledPrivilege;
import org.packetlab.portal.PortalClient;
import org.packetlab.ppks.Cert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pktlab privileges request}: asks an operator's privilege portal for experiment privilege and installs it. */
@Command(name = "request",
        mixinStandardHelpOptions = true,
        description = {
                "Ask an endpoint operator's privilege portal (pktlab portal) for experiment privilege: send this "
                        + "home's certificate request (csrs/exppriv_exper.csr), fetch the operator's public key, "
                        + "check the certificate it signed, and install both as `pktlab privileges add` does. "
                        + "If the portal refuses, its reason is printed and nothing changes."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab privileges request http://127.0.0.1:20580/",
                "  pktlab privileges request http://lab.example.org:20580/ --name netlab --code open-sesame-42"})
final class PrivilegesRequestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Parameters(index = "0", paramLabel = "URL", description = "The portal's address, e.g. http://127.0.0.1:20580/.")
    URI url;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Name for the installed files (letters, digits, _ and -); default: the portal's policy name.")
    String name;

    @Option(names = "--code", paramLabel = "CODE", description = "The invitation code the operator gave you, if the portal needs one.")
    String code;

    @Override
    public Integer call() throws Exception {
        InstalledPrivilege p = PortalClient.create().requestAndInstall(url, home.home(), name, code);
        Cert cert = p.verdict().top();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Granted by " + url + ": " + cert.type() + " serial " + cert.serial().toString(16) + ", valid until "
                + cert.notAfter() + (cert.limits().isEmpty() ? ", no limits" : ", limits " + cert.limits()));
        out.println("Installed privilege " + p.name() + " (operator key " + cert.authorityKeyId().hex() + "):");
        out.println("  " + p.certFile());
        out.println("  " + p.operatorKeyFile());
        for (Path conf : p.configs()) {
            out.println("  appended to " + conf + ":");
        }
        out.println("    ExpExec " + p.entry());
        out.flush();
        return 0;
    }
}
