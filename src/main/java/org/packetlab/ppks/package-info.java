/** The PacketLab Public Key System: Ed25519 keys, certificates, chain verification and CSRs (spec/certificates.md). */
package org.packetlab.ppks;
