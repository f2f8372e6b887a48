/** The PacketLab proxy (spec/agents.md §A.8) and the manager-side pool of backlog connections registered with it (§A.7). */
package org.packetlab.proxy;
