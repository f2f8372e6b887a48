package org.packetlab.proxy;

import java.util.Map;
import java.util.Optional;
import org.packetlab.wire.Snikey;

/**
 * A snapshot of a {@link BacklogPool}.
 *
 * @param ready       idle registered connections per snikey, waiting for an endpoint
 * @param registering connections still registering (TCP, TLS, xreg, result, preambles)
 * @param registered  connections registered since start
 * @param handedOff   connections handed to the manager since start (an endpoint arrived on them)
 * @param failures    registration attempts that failed since start
 * @param outages     times the proxy became unreachable (each logged once)
 * @param lastFailure why the last attempt failed, if one did
 */
public record BacklogPoolStats(Map<Snikey, Integer> ready, int registering, long registered, long handedOff,
        long failures, long outages, Optional<String> lastFailure) {
    public BacklogPoolStats {
        ready = Map.copyOf(ready);
    }
}
