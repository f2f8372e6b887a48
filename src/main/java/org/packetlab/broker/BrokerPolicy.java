package org.packetlab.broker;

import java.util.Collection;
import java.util.Set;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Channel;

/**
 * An operator's policy on top of the certificate rules (spec/broker.md §2.5, §5.1 step 9): which
 * agent keys may connect at all, and who may use which public channel. Private channels are
 * always governed by the privilege chains and not by the policy. The default admits everything.
 *
 * <p>Called on event loops: decide quickly, without blocking.
 */
public interface BrokerPolicy {

    /** The role a client takes on a connection. */
    enum Role { PUBLISHER, SUBSCRIBER }

    /** The policy that admits every agent and allows every public channel. */
    BrokerPolicy OPEN = new BrokerPolicy() {};

    /** Whether a client whose TLS handshake presented {@code agentKey} may use the broker; refused clients are disconnected. */
    default boolean admits(Ed25519PublicKey agentKey) {
        return true;
    }

    /** Whether {@code agentKey} may publish to or subscribe to the public (1..31-byte) channel {@code channel}. */
    default boolean allowsPublicChannel(Role role, Ed25519PublicKey agentKey, Channel channel) {
        return true;
    }

    /** A policy admitting only the agent keys with the given key ids (an allow-list), all public channels allowed. */
    static BrokerPolicy allowAgents(Collection<KeyId> agentKeys) {
        Set<KeyId> allowed = Set.copyOf(agentKeys);
        return new BrokerPolicy() {
            @Override
            public boolean admits(Ed25519PublicKey agentKey) {
                return allowed.contains(agentKey.keyId());
            }
        };
    }
}
