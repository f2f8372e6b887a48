package org.packetlab.proxy;

/**
 * A snapshot of a proxy's counters.
 *
 * @param idleBacklog          registered backlog connections waiting for an endpoint
 * @param registering          setup connections that have not finished registering
 * @param pendingEndpoints     endpoint connections waiting for their ClientHello or a backlog connection
 * @param relays               relays running
 * @param registered           backlog connections registered since start
 * @param registrationsRefused setup connections refused or failed before they were registered
 * @param endpointsRouted      endpoint connections relayed to a backlog connection since start
 * @param endpointsRefused     endpoint connections closed before routing (no or unknown SNI, no
 *                             backlog connection in time, ClientHello timeout, cap reached, not TLS)
 * @param bytesRelayed         bytes relayed in both directions since start
 */
public record ProxyStats(int idleBacklog, int registering, int pendingEndpoints, int relays,
        long registered, long registrationsRefused, long endpointsRouted, long endpointsRefused, long bytesRelayed) {}
