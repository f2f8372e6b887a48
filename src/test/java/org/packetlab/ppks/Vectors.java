package org.packetlab.ppks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The reference credentials under {@code src/test/resources/vectors/creds-reference/}. */
final class Vectors {
    private Vectors() {}

    static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/creds-reference/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.US_ASCII);
    }

    static Ed25519PrivateKey key(String name) {
        return Ed25519PrivateKey.parsePem(text("keys/" + name));
    }

    static Ed25519PublicKey pub(String name) {
        return Ed25519PublicKey.parsePem(text("keys/" + name + ".pub"));
    }

    static Cert cert(String name) {
        try {
            return Cert.parse(bytes("certs/" + name + ".cert"));
        } catch (CertException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
