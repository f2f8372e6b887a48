package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pktlab csr create|show}: certificate signing requests (PKCS#10, as ppksman writes them). */
@Command(name = "csr", mixinStandardHelpOptions = true,
        description = "Create and inspect certificate signing requests: ask an endpoint operator for a "
                + "privilege. Requests are PKCS#10 (-----BEGIN CERTIFICATE REQUEST-----); CRMF is not supported.",
        subcommands = {CsrCommand.Create.class, CsrCommand.Show.class})
final class CsrCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code pktlab csr create --type exppriv|delpriv [--del-type ..] --key PRIV [--out F]}. */
    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create a request for a privilege for your key, signed by that key. Limits you put "
                    + "in are suggestions; the signer decides what to grant.",
            footer = {"", "Examples:",
                    "  pktlab csr create --type exppriv --key ~/.pktlab/keys/k_exper \\",
                    "      --out exppriv_exper.csr",
                    "  pktlab csr create --type delpriv --del-type exppriv \\",
                    "      --key ~/.pktlab/keys/k_exper --out delpriv_exp_exper.csr",
                    "  pktlab csr create --type delpriv --del-type reppriv \\",
                    "      --key ~/.pktlab/keys/k_eop --out delpriv_rep_eop.csr"})
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--type", required = true, paramLabel = "TYPE",
                description = "requested certificate type: exppriv or delpriv (also subcmd, pubcmd, agent)")
        String type;

        @Option(names = "--del-type", paramLabel = "exppriv|reppriv", split = ",",
                description = "for delpriv: which privilege(s) may be delegated")
        List<String> delTypes = new ArrayList<>();

        @Option(names = "--key", required = true, paramLabel = "PRIV", description = "your private key (the request's subject and signer)")
        Path key;

        @Option(names = "--out", paramLabel = "FILE", description = "write the request here (default: print it)")
        Path out;

        @Option(names = "--force", description = "replace an existing --out file")
        boolean force;

        @Mixin
        PrivilegeOptions privilege;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws IOException {
            CertType t = CertCommand.type(spec, type);
            Csr.Builder b = Csr.builder(t);
            if (!delTypes.isEmpty()) {
                b.delTypes(CertCommand.delTypes(spec, delTypes));
            }
            privilege.applyTo(b);
            Csr csr = b.signWith(passphrase.readKey(key));
            PrintWriter o = spec.commandLine().getOut();
            if (out == null) {
                o.print(csr.pem());
            } else {
                csr.writePem(out, force);
                o.println("wrote " + t + " request for key " + csr.subject().keyId().hex() + " to " + out);
            }
            return 0;
        }
    }

    /** {@code pktlab csr show FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Check a request's self-signature and show what it asks for.",
            footer = {"", "Example:", "  pktlab csr show exppriv_exper.csr"})
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a PKCS#10 request (PEM or DER)")
        Path file;

        @Override
        public Integer call() throws IOException, CertException {
            Csr csr = Csr.read(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ":");
            CertText.print(out, csr);
            return 0;
        }
    }

}
