/** The measurement endpoint: connects to a controller, serves its requests over TCP and UDP sockets, exports vmem (spec/agents.md §C). */
package org.packetlab.endpoint;
