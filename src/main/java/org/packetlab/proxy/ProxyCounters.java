package org.packetlab.proxy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The live counters of one proxy, updated from every event loop; {@link #snapshot} makes a {@link ProxyStats}. */
final class ProxyCounters {
    final AtomicInteger registering = new AtomicInteger();
    final AtomicInteger pendingEndpoints = new AtomicInteger();
    final AtomicInteger relays = new AtomicInteger();
    final LongAdder registered = new LongAdder();
    final LongAdder registrationsRefused = new LongAdder();
    final LongAdder endpointsRouted = new LongAdder();
    final LongAdder endpointsRefused = new LongAdder();
    final LongAdder bytesRelayed = new LongAdder();

    ProxyStats snapshot(int idleBacklog) {
        return new ProxyStats(idleBacklog, registering.get(), pendingEndpoints.get(), relays.get(), registered.sum(),
                registrationsRefused.sum(), endpointsRouted.sum(), endpointsRefused.sum(), bytesRelayed.sum());
    }
}
