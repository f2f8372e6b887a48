package org.packetlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pktlab key gen|show}: Ed25519 key pairs in the reference's file formats. */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Create and inspect Ed25519 keys (PacketLab's only key type).",
        subcommands = {KeyCommand.Gen.class, KeyCommand.Show.class})
final class KeyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code pktlab key gen NAME [--dir D] [--force]}. */
    @Command(name = "gen", mixinStandardHelpOptions = true,
            description = "Generate a key pair: DIR/NAME (private, PKCS#8 PEM, mode 0600) and DIR/NAME.pub "
                    + "(public, SPKI PEM). Existing files are never replaced without --force.",
            footer = {"", "Examples:",
                    "  pktlab key gen k_exper --dir ~/.pktlab/keys",
                    "  pktlab key gen k_xc --passphrase-env PKTLAB_PASS   # encrypted"})
    static final class Gen implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "file name of the private key; the public key gets .pub added")
        String name;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
                description = "directory for the key files (created with mode 0700 if missing; default: current directory)")
        Path dir;

        @Option(names = "--force", description = "replace existing key files")
        boolean force;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws IOException {
            if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "NAME must be a plain file name, got \"" + name + "\"");
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path priv = dir.resolve(name);
            Path pub = dir.resolve(name + ".pub");
            for (Path p : new Path[] {priv, pub}) {
                if (!force && Files.exists(p)) {
                    throw new IllegalStateException(p + " exists; not replacing a key without --force");
                }
            }
            Ed25519PrivateKey key = Ed25519PrivateKey.generate();
            char[] pass = passphrase.given();
            if (pass == null) {
                key.write(priv, force);
            } else {
                key.write(priv, pass, force);
            }
            key.publicKey().writePem(pub);
            PrintWriter out = spec.commandLine().getOut();
            out.println("private key: " + priv + (pass == null || pass.length == 0 ? "" : " (encrypted)"));
            out.println("public key:  " + pub);
            out.println("key id:      " + key.keyId().hex());
            return 0;
        }
    }

    /** {@code pktlab key show FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a key's id and public key. Works on public and private key files; never "
                    + "prints private key material.",
            footer = {"", "Examples:", "  pktlab key show ~/.pktlab/keys/k_eop.pub", "  pktlab key show ~/.pktlab/keys/k_eop"})
    static final class Show implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a public (NAME.pub) or private (NAME) key file")
        Path file;

        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() throws IOException {
            String text = Files.size(file) <= 64 * 1024 ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            boolean isPrivate = text.contains("PRIVATE KEY-----");
            Ed25519PublicKey pub = isPrivate ? passphrase.readKey(file).publicKey() : Ed25519PublicKey.read(file);
            PrintWriter out = spec.commandLine().getOut();
            out.println("file:     " + file + (isPrivate ? " (private key; its public half follows)" : " (public key)"));
            out.println("key id:   " + pub.keyId().hex());
            out.print(pub.pem());
            return 0;
        }
    }
}
