/**
 * An embedded local lab: target services (an HTTP server and a DNS responder on loopback) that
 * mlets measure through PacketLab endpoints running in the same JVM.
 */
package org.packetlab.lab;
