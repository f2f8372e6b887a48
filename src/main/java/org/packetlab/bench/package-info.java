/**
 * Benchmarks of PacketLab for Java on loopback: every figure measured against a baseline taken in
 * the same run ({@link org.packetlab.bench.Bench}), since absolute figures drift between machines.
 */
package org.packetlab.bench;
