package org.packetlab.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real files for configuration tests: a home laid out as the reference's init script leaves it. */
final class ConfigFixtures {
    static final List<String> KEYS = List.of("k_exper", "k_exper.pub", "k_xc", "k_xc.pub", "k_eop", "k_eop.pub",
            "k_ep", "k_ep.pub", "caida_k_bop.pub");
    static final List<String> CERTS = List.of("agent_ep_ep.cert", "agent_xc_xc.cert", "exppriv_eop_exper.cert",
            "pubcmd_exper_xc.cert", "subcmd_eop_ep.cert");

    private ConfigFixtures() {}

    /** {@code dir/.pktlab} with the reference vector keys and certificates and an empty progs/. */
    static Path referenceHome(Path dir) throws IOException {
        Path home = dir.resolve(".pktlab");
        Files.createDirectories(home.resolve("keys"));
        Files.createDirectories(home.resolve("certs"));
        Files.createDirectories(home.resolve("progs"));
        for (String k : KEYS) {
            copy("/vectors/creds-reference/keys/" + k, home.resolve("keys").resolve(k));
        }
        for (String c : CERTS) {
            copy("/vectors/creds-reference/certs/" + c, home.resolve("certs").resolve(c));
        }
        return home;
    }

    /** One of the reference's configuration files, placeholders replaced as the init script does. */
    static Path referenceConf(Path home, String name) throws IOException {
        String text = resource("/org/packetlab/config/reference/" + name)
                .replace("INSTALL_KEY_CRED_PATH", home.resolve("keys").toString())
                .replace("INSTALL_CERT_CRED_PATH", home.resolve("certs").toString())
                .replace("INSTALL_PROG_PATH", home.resolve("progs").toString())
                // never resolve a public name in tests
                .replace("pktbrokr.caida.org", "localhost");
        Path file = home.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Writes {@code lines}, each ended by LF. */
    static Path write(Path dir, String name, String... lines) {
        Path file = dir.resolve(name);
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        try {
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ConfigFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = ConfigFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            Files.copy(in, to);
        }
    }
}
