/** The PacketLab wire protocol: one immutable type per message, the codec, the vmem map, name-value strings and programs. */
package org.packetlab.wire;
