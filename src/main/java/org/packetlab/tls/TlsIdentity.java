package org.packetlab.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;

/**
 * What one side of a PacketLab TLS connection presents: its certificate chain, leaf first (the leaf's
 * subject is {@code key}'s public key; the others follow in configured order), and its private key.
 *
 * @param chain leaf first, not empty
 * @param key   the private key of the leaf's subject; {@link #toString()} shows only its key id
 */
public record TlsIdentity(List<Cert> chain, Ed25519PrivateKey key) {
    public TlsIdentity {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("identity needs at least one certificate");
        }
        if (!chain.get(0).subject().equals(key.publicKey())) {
            throw new IllegalArgumentException("first certificate's subject is not the key " + key.keyId()
                    + " (use TlsIdentity.of to put the leaf first)");
        }
    }

    /**
     * An identity from certificates in any order: the certificate whose subject is {@code key}'s
     * public key moves to the front, the others keep their order (as {@code pktxpmgr} does).
     *
     * @throws IllegalArgumentException if no certificate is about {@code key}
     */
    public static TlsIdentity of(Ed25519PrivateKey key, List<Cert> certs) {
        List<Cert> ordered = new ArrayList<>(certs);
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).subject().equals(key.publicKey())) {
                ordered.add(0, ordered.remove(i));
                return new TlsIdentity(ordered, key);
            }
        }
        throw new IllegalArgumentException("no certificate has the subject key " + key.keyId());
    }
}
