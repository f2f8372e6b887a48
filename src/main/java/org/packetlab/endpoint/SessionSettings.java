package org.packetlab.endpoint;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What every session of one {@link Endpoint} shares: the exported parameters, the timeouts and
 * limits of a session, the clock, and the registry of what runs.
 *
 * @param params                   the SYSPARAM content (addresses, transports, BufMax, host id)
 * @param setupTimeout             how long the controller has to reach a successful {@code start} (10 s)
 * @param maxQueued                outgoing messages not yet written at which requests stop being read (100)
 * @param tcpConnectTimeoutMillis  connect timeout of measurement TCP sockets
 * @param clock                    pktlab time now
 * @param registry                 what the endpoint has running
 */
record SessionSettings(SysParams params, Duration setupTimeout, int maxQueued, int tcpConnectTimeoutMillis,
                       LongSupplier clock, Registry registry) {

    /** Largest request body the control connection accepts: an nsend that could fit BufMax, at most the 24-bit limit. */
    int maxRequestBody() {
        return (int) Math.min(0xFFFFFFL, params.bufMax() + 64);
    }
}
