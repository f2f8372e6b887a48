/** PacketLab configuration: {@code xpmgr.conf} and {@code endpt.conf} (read and written), and the {@code ~/.pktlab} home. */
package org.packetlab.config;
