/**
 * How PacketLab values look in a notebook: one render function per type, preferring
 * {@code text/html}; the kernel's renderer adds the {@code text/plain} twin from
 * {@code toString()}. Domain types never import Jupyter: their rendering lives here.
 */
package org.packetlab.notebook.display;
