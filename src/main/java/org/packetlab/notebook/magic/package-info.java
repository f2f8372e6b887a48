/**
 * The {@code %pktlab} magics: {@link org.packetlab.notebook.magic.PktlabMagics} dispatches
 * {@code %pktlab NAME ARGS...} (and {@code %%pktlab NAME ARGS...} with a cell body) to one
 * {@link org.packetlab.notebook.magic.PktlabMagic} per sub-magic. A magic is a thin adapter: it
 * parses strings, calls the public PacketLab API and returns the value, which the kernel renders.
 */
package org.packetlab.notebook.magic;
