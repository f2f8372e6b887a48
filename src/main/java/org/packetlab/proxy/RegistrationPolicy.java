package org.packetlab.proxy;

import java.util.Optional;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.wire.Snikey;

/**
 * Which manager may register backlog connections for which snikey. The proxy asks it for every
 * {@code xreg}; a refusal is answered with a non-zero {@code result} (ESYSNOPERM), which makes the
 * manager retry later. Independently of the policy, the first manager to register a snikey owns it
 * while it has connections to the proxy.
 */
@FunctionalInterface
public interface RegistrationPolicy {
    /** Lets every manager register every snikey (ownership still applies). */
    RegistrationPolicy ANY = (agent, snikey) -> true;

    /**
     * Whether the manager may register {@code snikey}.
     *
     * @param agent the key of the manager's verified agent certificate; empty when it presented none.
     *              Called on an event loop: must not block.
     */
    boolean mayRegister(Optional<Ed25519PublicKey> agent, Snikey snikey);
}
