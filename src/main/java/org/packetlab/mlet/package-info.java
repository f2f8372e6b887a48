/**
 * The mlet API: how experiment code sees one endpoint (sockets, memory, endpoint-side times),
 * and the session seam ({@link org.packetlab.mlet.SessionTransport},
 * {@link org.packetlab.mlet.SessionSink}) through which the experiment manager hosts it.
 */
package org.packetlab.mlet;
