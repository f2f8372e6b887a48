package org.packetlab.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.packetlab.ppks.Ed25519PrivateKey;
import picocli.CommandLine.Option;

/**
 * Where a private key's passphrase comes from: a file, an environment variable, or (for an
 * encrypted key, on a terminal) a prompt. A headless alternative to the reference's /dev/tty
 * prompt (spec/agents.md §0.3). The passphrase itself is never echoed or printed.
 */
final class PassphraseOptions {
    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the key passphrase from the first line of FILE")
    Path file;

    @Option(names = "--passphrase-env", paramLabel = "VAR",
            description = "read the key passphrase from environment variable VAR")
    String env;

    /** The passphrase given by option, or null when none was given. */
    char[] given() throws IOException {
        if (file != null) {
            String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            return first.toCharArray();
        }
        if (env != null) {
            String v = System.getenv(env);
            if (v == null) {
                throw new IllegalArgumentException("environment variable " + env + " is not set");
            }
            return v.toCharArray();
        }
        return null;
    }

    /** Reads a private key, decrypting it with the given passphrase or one typed at the terminal. */
    Ed25519PrivateKey readKey(Path keyFile) throws IOException {
        char[] pass = given();
        if (pass == null && Ed25519PrivateKey.isEncryptedPem(Files.readString(keyFile, StandardCharsets.US_ASCII))) {
            Console console = System.console();
            if (console == null) {
                throw new IllegalArgumentException(keyFile + " is encrypted: give --passphrase-file or --passphrase-env");
            }
            pass = console.readPassword("Passphrase for %s: ", keyFile);
        }
        return Ed25519PrivateKey.read(keyFile, pass);
    }
}
