package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pktlab cert sign|show|verify}: PacketLab certificates (what ppksman does). */
@Command(name = "cert", mixinStandardHelpOptions = true,
        description = "Sign, inspect and verify PacketLab certificates (X.509 with the PPKS profile).",
        subcommands = {CertCommand.Sign.class, CertCommand.Show.class, CertCommand.Verify.class})
final class CertCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static CertType type(CommandLine.Model.CommandSpec spec, String token) {
        return CertType.fromToken(token.toLowerCase(Locale.ROOT)).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                "unknown type \"" + token + "\": use subcmd, pubcmd, exppriv, delpriv or agent"));
    }

    static DelType[] delTypes(CommandLine.Model.CommandSpec spec, List<String> tokens) {
        return tokens.stream().map(t -> DelType.fromToken(t.toLowerCase(Locale.ROOT)).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "unknown --del-type \"" + t + "\": use exppriv or reppriv"))).toArray(DelType[]::new);
    }

    /** {@code pktlab cert sign ...}. */
    @Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sign a certificate for a subject key (or for the key of a request) with your private key. "
                    + "Types: subcmd (operator to endpoint), pubcmd (experimenter to controller), exppriv (operator "
                    + "to experimenter, with limits), delpriv (delegation, needs --del-type), agent (identity, "
                    + "usually self-signed).",
            footer = {"", "Examples:",
                    "  # an endpoint operator grants an experimenter 30 days, loopback only:",
                    "  pktlab cert sign --type exppriv --subject k_exper.pub \\",
                    "      --key ~/.pktlab/keys/k_eop --valid-for 30d \\",
                    "      --valid-dest 127.0.0.0/8 --max-socket-count 10 \\",
                    "      --out exppriv_eop_exper.cert",
                    "  # the same from a request the experimenter sent:",
                    "  pktlab cert sign --csr exppriv_exper.csr \\",
                    "      --key ~/.pktlab/keys/k_eop --valid-for 30d --out granted.cert",
                    "  # a controller's self-signed identity towards brokers:",
                    "  pktlab cert sign --type agent --subject k_xc.pub \\",
                    "      --key ~/.pktlab/keys/k_xc --valid-for 365d --out agent_xc_xc.cert"})
    static final class Sign implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--type", paramLabel = "TYPE", description = "subcmd, pubcmd, exppriv, delpriv or agent (default with --csr: the requested type)")
        String type;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Subject subject;

        static final class Subject {
            @Option(names = "--subject", paramLabel = "PUB", description = "the subject's public key file")
            Path key;

            @Option(names = "--csr", paramLabel = "CSR", description = "a request: its key, type, description and limits are used unless overridden")
            Path csr;
        }

        @Option(names = "--key", required = true, paramLabel = "SIGNER_PRIV", description = "your (the signer's) private key")
        Path signer;

        @Option(names = "--del-type", paramLabel = "exppriv|reppriv", split = ",", description = "for delpriv: what may be delegated")
        List<String> delTypes = new ArrayList<>();

        @Option(names = "--valid-from", paramLabel = "TIME", description = "start of validity (default: now); 2025-06-01T00:00:00Z, 2025-06-01 or Unix seconds")
        String validFrom;

        @ArgGroup(exclusive = true, multiplicity = "1")
        End end;

        static final class End {
            @Option(names = "--valid-until", paramLabel = "TIME", description = "end of validity (inclusive)")
            String until;

            @Option(names = "--valid-for", paramLabel = "DURATION", description = "validity length, e.g. 30d, 12h")
            String duration;
        }

        @Option(names = "--serial", paramLabel = "N", description = "serial number (default: random)")
        Long serial;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the certificate (PEM)")
        Path out;

        @Option(names = "--force", description = "replace an existing --out file")
        boolean force;

        @Mixin
        PrivilegeOptions privilege;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws IOException, CertException {
            Cert.Builder b;
            if (subject.csr != null) {
                b = Cert.fromCsr(Csr.read(subject.csr));
                if (type != null) {
                    b.type(type(spec, type));
                }
            } else {
                if (type == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--type is needed with --subject");
                }
                b = Cert.builder(type(spec, type)).subject(Ed25519PublicKey.read(subject.key));
            }
            if (!delTypes.isEmpty()) {
                b.delTypes(delTypes(spec, delTypes));
            }
            if (validFrom != null) {
                b.validFrom(TimeArgs.instant(validFrom));
            }
            if (end.until != null) {
                b.validUntil(TimeArgs.instant(end.until));
            } else {
                b.validFor(TimeArgs.duration(end.duration));
            }
            if (serial != null) {
                b.serial(serial);
            }
            privilege.applyTo(b);
            Ed25519PrivateKey key = passphrase.readKey(signer);
            Cert cert = b.signWith(key);
            cert.writePem(out, force);
            PrintWriter o = spec.commandLine().getOut();
            o.println("wrote " + cert.type() + " certificate to " + out + ":");
            CertText.print(o, cert, Instant.now());
            return 0;
        }
    }

    /** {@code pktlab cert show FILE...}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show every field of the certificates in the files: type, validity, keys, delegation, limits.",
            footer = {"", "Examples:", "  pktlab cert show ~/.pktlab/certs/exppriv_eop_exper.cert",
                    "  pktlab cert show chain.pem          # every certificate of a chain file"})
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "certificate files (PEM, several per file allowed, or DER)")
        List<Path> files;

        @Override
        public Integer call() throws IOException, CertException {
            PrintWriter out = spec.commandLine().getOut();
            Instant now = Instant.now();
            for (Path f : files) {
                List<Cert> certs = Cert.readAll(f);
                for (int i = 0; i < certs.size(); i++) {
                    out.println(f + (certs.size() > 1 ? " [" + i + "]" : "") + ":");
                    CertText.print(out, certs.get(i), now);
                }
            }
            return 0;
        }
    }

    /** {@code pktlab cert verify MODE [--root PUB]... CERT...}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify a certificate chain as a PacketLab peer would, and say which certificate "
                    + "breaks which rule. Give the certificates leaf first, as the peer sends them (a file may hold "
                    + "several). Exits 0 when the chain verifies, 1 when it does not.",
            footer = {"", "Modes:",
                    "  endpoint-auth-controller  an endpoint checks a controller's chain:",
                    "                            pubcmd, [delpriv(exppriv)...], exppriv",
                    "  controller-auth-endpoint  a controller or broker checks an endpoint:",
                    "                            subcmd, [delpriv(reppriv)...]",
                    "  agent                     broker and proxy connections: one agent cert",
                    "", "Examples:",
                    "  pktlab cert verify endpoint-auth-controller --root keys/k_eop.pub \\",
                    "      certs/pubcmd_exper_xc.cert certs/exppriv_eop_exper.cert",
                    "  pktlab cert verify controller-auth-endpoint --root keys/k_eop.pub \\",
                    "      certs/subcmd_eop_ep.cert",
                    "  pktlab cert verify agent certs/agent_xc_xc.cert"})
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "MODE", description = "endpoint-auth-controller, controller-auth-endpoint or agent")
        String mode;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CERT", description = "certificate files, leaf first")
        List<Path> files;

        @Option(names = "--root", paramLabel = "PUB", description = "a trusted root public key (repeatable; none = any top is accepted)")
        List<Path> roots = new ArrayList<>();

        @Option(names = "--at", paramLabel = "TIME", description = "verify at this time instead of now")
        String at;

        @Override
        public Integer call() throws IOException {
            VerifyMode m = mode(mode);
            List<Ed25519PublicKey> keys = new ArrayList<>();
            for (Path r : roots) {
                keys.add(Ed25519PublicKey.read(r));
            }
            PrintWriter out = spec.commandLine().getOut();
            List<Cert> certs = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (Path f : files) {
                List<Cert> inFile;
                try {
                    inFile = Cert.readAll(f);
                } catch (CertException e) {
                    out.println("[" + certs.size() + "] " + f + ": does not decode: " + e.getMessage());
                    return reject(out, "BAD_CERT at certificate " + certs.size() + ": " + e.getMessage());
                }
                for (int i = 0; i < inFile.size(); i++) {
                    certs.add(inFile.get(i));
                    names.add(f + (inFile.size() > 1 ? " [" + i + "]" : ""));
                }
            }
            Instant now = at == null ? Instant.now() : TimeArgs.instant(at);
            Verdict v = ChainVerifier.of(m, keys).verify(certs, now);
            Map<Cert, Integer> position = new IdentityHashMap<>();
            if (v instanceof Verdict.Verified ok) {
                for (int i = 0; i < ok.chain().size(); i++) {
                    position.put(ok.chain().get(i), i);
                }
            }
            for (int i = 0; i < certs.size(); i++) {
                Cert c = certs.get(i);
                String state = switch (v) {
                    case Verdict.Verified ok -> position.containsKey(c) ? "ok, chain position " + position.get(c) : "not used (extra certificate)";
                    case Verdict.Rejected r -> r.index() == i ? "REJECTED: " + r.failure() + ": " + r.reason() : "no fault found";
                };
                out.println("[" + i + "] " + names.get(i) + ": " + c.type() + ", subject " + c.subjectKeyId().hex().substring(0, 16)
                        + "…, signed by " + c.authorityKeyId().hex().substring(0, 16) + "…: " + state);
            }
            if (v instanceof Verdict.Rejected r) {
                return reject(out, r.describe());
            }
            out.println("VERIFIED (" + m.name().toLowerCase(Locale.ROOT).replace('_', '-') + "): " + v.describe());
            return 0;
        }

        private int reject(PrintWriter out, String why) {
            out.println("REJECTED: " + why);
            spec.commandLine().getErr().println(spec.qualifiedName() + ": chain rejected: " + why);
            return 1;
        }

        private VerifyMode mode(String text) {
            String t = text.toUpperCase(Locale.ROOT).replace('-', '_');
            for (VerifyMode m : VerifyMode.values()) {
                if (m.name().equals(t)) {
                    return m;
                }
            }
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown mode \"" + text + "\": use endpoint-auth-controller, controller-auth-endpoint or agent");
        }
    }
}
