package org.packetlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.packetlab.config.InstalledPrivilege;
import org.packetlab.config.PktlabHome;
import org.packetlab.wire.Snikey;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code pktlab privileges add}: installs an experiment privilege received from an endpoint operator. */
@Command(name = "add",
        mixinStandardHelpOptions = true,
        description = {
                "Install an experiment privilege: an exppriv certificate that an endpoint operator signed for "
                        + "your experimenter key k_exper (usually from your request csrs/exppriv_exper.csr).",
                "The chain [certs/pubcmd_exper_xc.cert, the exppriv] must verify against the operator's public "
                        + "key; otherwise nothing is changed and the reason is printed. Then the certificate and "
                        + "key are copied to certs/NAME_exppriv.cert and keys/NAME_k_eop.pub, and an ExpExec line "
                        + "using them is appended to xpmgr.conf and xpmgr.proxy.conf, so the manager offers this "
                        + "privilege to the operator's endpoints."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab privileges add --name caida --cert caida_exppriv.cert \\",
                "      --operator-key caida_k_eop.pub",
                "  pktlab privileges add --name lab2 --cert lab2.cert \\",
                "      --operator-key lab2_eop.pub --snikey lab2"})
final class PrivilegesAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "Name for the installed files (letters, digits, _ and -), e.g. caida.")
    String name;

    @Option(names = "--cert", required = true, paramLabel = "FILE",
            description = "The exppriv certificate you received (PEM or DER).")
    Path cert;

    @Option(names = "--operator-key", required = true, paramLabel = "PUB",
            description = "The endpoint operator's public key (PEM), which signed the certificate.")
    Path operatorKey;

    @Option(names = "--snikey", paramLabel = "S", converter = SnikeyConverter.class,
            description = "SNI name endpoints use to ask for this experiment (1-63 of a-z, 0-9); default: random at every start.")
    Snikey snikey;

    @Option(names = "--default",
            description = "Also serve endpoints that send no SNI (only if no other entry is the default).")
    boolean isDefault;

    @Override
    public Integer call() throws Exception {
        PktlabHome h = home.home();
        InstalledPrivilege p = h.addPrivilege(name, cert, operatorKey, snikey, isDefault);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Installed privilege " + p.name() + " (granted by operator key "
                + p.verdict().top().authorityKeyId().hex() + ", valid until " + p.verdict().top().notAfter() + "):");
        out.println("  " + p.certFile());
        out.println("  " + p.operatorKeyFile());
        out.println("  ExpExec line appended to " + String.join(", ", p.configs().stream().map(Path::toString).toList()) + ":");
        out.println("    ExpExec " + p.entry());
        out.flush();
        return 0;
    }

    /** Refuses invalid snikeys as usage errors. */
    static final class SnikeyConverter implements ITypeConverter<Snikey> {
        @Override
        public Snikey convert(String value) {
            if (!Snikey.isValid(value)) {
                throw new TypeConversionException("invalid snikey '" + value + "': need 1-63 characters from [a-z0-9]");
            }
            return new Snikey(value);
        }
    }
}
