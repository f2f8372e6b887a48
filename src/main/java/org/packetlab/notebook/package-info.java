/**
 * The Jupyter kernel "PacketLab (Java)" ({@link org.packetlab.notebook.PktlabKernel}, started by
 * {@link org.packetlab.notebook.KernelMain}), its kernelspec
 * ({@link org.packetlab.notebook.KernelSpec}) and the same magics as a JJava extension
 * ({@link org.packetlab.notebook.PktlabExtension}). Magics are in {@code notebook.magic},
 * renderers in {@code notebook.display}.
 */
package org.packetlab.notebook;
