/** The experiment manager: accepts endpoints over PacketLab TLS, submits programs, starts sessions and hands them to mlets. */
package org.packetlab.manager;
