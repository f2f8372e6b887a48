package org.packetlab.proxy;

import io.netty.channel.Channel;
import java.util.Optional;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.Status;

/** Decides on an {@code xreg}: first the operator's {@link RegistrationPolicy}, then ownership and caps in the {@link BacklogRegistry}. */
final class Registrar {
    private final RegistrationPolicy policy;
    private final BacklogRegistry registry;

    Registrar(RegistrationPolicy policy, BacklogRegistry registry) {
        this.policy = policy;
        this.registry = registry;
    }

    BacklogRegistry.Admission admit(Snikey snikey, Optional<Ed25519PublicKey> agent, Channel channel) {
        if (!policy.mayRegister(agent, snikey)) {
            return new BacklogRegistry.Refusal(Status.ESYSNOPERM, "the proxy's policy does not let "
                    + agent.map(k -> "agent key " + k.keyId().hex()).orElse("a manager without certificate")
                    + " register snikey " + snikey);
        }
        return registry.reserve(snikey, agent.map(Ed25519PublicKey::keyId), channel);
    }

    BacklogRegistry registry() {
        return registry;
    }
}
