/** TLS 1.3 for PacketLab connections: SslContexts whose trust and key managers speak PPKS instead of PKIX (spec/agents.md §0.5). */
package org.packetlab.tls;
