package org.packetlab.manager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.packetlab.config.ExpExec;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;

/**
 * One experiment identity the manager offers endpoints, chosen by the TLS SNI (the snikey): the
 * controller's chain and key, and the endpoint operator keys that endpoints must chain to
 * (spec/agents.md §A.3). One {@code ExpExec} line of {@code xpmgr.conf} makes one identity.
 *
 * @param snikey       the SNI endpoints send to get this identity
 * @param tls          the chain presented (leaf first: {@code pubcmd, delpriv…, exppriv}) and the controller key
 * @param trustedRoots EOp keys an endpoint's {@code subcmd} chain must end at; empty = endpoints are not checked
 * @param isDefault    whether endpoints that send no SNI get this identity too
 */
public record Identity(Snikey snikey, TlsIdentity tls, List<Ed25519PublicKey> trustedRoots, boolean isDefault) {

    public Identity {
        Objects.requireNonNull(snikey, "snikey");
        Objects.requireNonNull(tls, "tls");
        trustedRoots = List.copyOf(trustedRoots);
    }

    /**
     * An identity with a random snikey, not the default: {@code certs} in any order, one of them with
     * {@code key}'s public key as subject. With roots, the chain must verify against them in the
     * endpoint-authenticates-controller mode and is kept in chain order (certificates outside the
     * chain follow); without roots it is kept as given with the leaf moved to the front.
     *
     * @throws IllegalArgumentException when no certificate has the key as subject or the chain does not verify
     */
    public static Identity of(Ed25519PrivateKey key, List<Cert> certs, List<Ed25519PublicKey> trustedRoots) {
        TlsIdentity tls = TlsIdentity.of(key, certs);
        if (!trustedRoots.isEmpty()) {
            Verdict v = ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, trustedRoots).verify(tls.chain());
            if (!(v instanceof Verdict.Verified verified)) {
                throw new IllegalArgumentException("the controller chain does not verify against the trusted EOp keys: " + v.describe());
            }
            Set<Cert> ordered = new LinkedHashSet<>(verified.chain());
            ordered.addAll(tls.chain());
            tls = new TlsIdentity(List.copyOf(ordered), key);
        }
        return new Identity(Snikey.random(), tls, trustedRoots, false);
    }

    /**
     * The identity of an {@code ExpExec} entry (spec/agents.md §A.3): reads its chain and EOp key
     * files, verifies the chain when EOp keys are given, and takes its snikey (random when the entry
     * has none) and default flag.
     *
     * @throws IOException naming the file or the entry at fault
     */
    public static Identity fromExpExec(ExpExec entry, Ed25519PrivateKey controllerKey) throws IOException {
        List<Cert> certs = new ArrayList<>();
        for (Path p : entry.expprivChain()) {
            try {
                certs.addAll(Cert.readAll(p));
            } catch (CertException e) {
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }
        List<Ed25519PublicKey> roots = new ArrayList<>();
        for (Path p : entry.trustedEop()) {
            roots.add(Ed25519PublicKey.read(p));
        }
        try {
            Identity id = of(controllerKey, certs, roots);
            return new Identity(entry.snikey().orElse(id.snikey()), id.tls(), id.trustedRoots(), entry.isDefault());
        } catch (IllegalArgumentException e) {
            throw new IOException("ExpExec " + entry + ": " + e.getMessage(), e);
        }
    }

    /** A copy answering to {@code snikey}. */
    public Identity withSnikey(Snikey snikey) {
        return new Identity(snikey, tls, trustedRoots, isDefault);
    }

    /** A copy that is (or is not) the default for endpoints without SNI. */
    public Identity withDefault(boolean isDefault) {
        return new Identity(snikey, tls, trustedRoots, isDefault);
    }

    /**
     * The monitor programs endpoints will ask for: the {@code monitor} digests of every certificate
     * of the chain, in chain order, each once (spec/agents.md §A.4.2).
     */
    public List<Digest> monitorDigests() {
        Set<Digest> out = new LinkedHashSet<>();
        for (Cert c : tls.chain()) {
            out.addAll(c.limits().monitors());
        }
        return List.copyOf(out);
    }

    /** Shows the snikey and the leaf only (the key never appears). */
    @Override
    public String toString() {
        return "Identity[snikey=" + snikey + (isDefault ? ", default" : "") + ", leaf=" + tls.chain().get(0).subjectKeyId()
                + ", " + tls.chain().size() + " certificate(s), " + trustedRoots.size() + " trusted root(s)]";
    }
}
