package org.packetlab.broker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainFailure;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.wire.Status;

/**
 * The certificates one connection sent with {@code xcert} (spec/broker.md §4), kept for the whole
 * connection. A certificate sent again moves to the most recent place instead of taking a new
 * one: the reference publisher re-sends its chain before every {@code xpub}.
 */
final class CertPool {
    private final int max;
    /** Oldest first. */
    private final List<Cert> certs = new ArrayList<>();

    CertPool(int max) {
        this.max = max;
    }

    /** Adds one received certificate; returns why not when it does not decode or the pool is full. */
    Refusal add(byte[] der) {
        Cert cert;
        try {
            cert = Cert.parse(der);
        } catch (CertException e) {
            return Refusal.of(Status.ECTLBADMSG, "xcert is not a PacketLab certificate: " + e.getMessage());
        }
        if (!certs.remove(cert) && certs.size() >= max) {
            return Refusal.of(Status.ECTLBADMSG, "more than " + max + " certificates on one connection");
        }
        certs.add(cert);
        return null;
    }

    /**
     * Verifies a chain of the client's own privilege (spec/broker.md §5.1 step 8, §8.1 step 4): each
     * pool certificate of type {@code leafType} whose subject is {@code clientKey}, most recent
     * first, is tried as the leaf with the rest of the pool as candidates and {@code root} as the
     * only trusted root. Returns the first verified chain, else the first rejection.
     */
    Verdict verify(CertType leafType, VerifyMode mode, Ed25519PublicKey clientKey, Ed25519PublicKey root, Instant now) {
        ChainVerifier verifier = ChainVerifier.of(mode, root);
        Verdict first = null;
        for (int i = certs.size() - 1; i >= 0; i--) {
            Cert leaf = certs.get(i);
            if (leaf.type() != leafType || !leaf.subject().equals(clientKey)) {
                continue;
            }
            List<Cert> chain = new ArrayList<>(certs.size());
            chain.add(leaf);
            for (Cert c : certs) {
                if (c != leaf) {
                    chain.add(c);
                }
            }
            Verdict v = verifier.verify(chain, now);
            if (v.isVerified()) {
                return v;
            }
            if (first == null) {
                first = v;
            }
        }
        return first != null ? first
                : new Verdict.Rejected(ChainFailure.NOT_ENOUGH_CERT, -1, "no " + leafType.token()
                        + " certificate for the client's agent key " + clientKey.keyId().hex() + " among the "
                        + certs.size() + " sent with xcert");
    }
}
