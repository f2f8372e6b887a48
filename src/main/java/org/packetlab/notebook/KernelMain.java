package org.packetlab.notebook;

import java.nio.file.Files;
import java.nio.file.Path;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/**
 * Starts the "PacketLab (Java)" kernel for Jupyter: {@code KernelMain CONNECTION_FILE}, as the
 * kernelspec's argv has it.
 */
public final class KernelMain {
    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java ... " + KernelMain.class.getName() + " CONNECTION_FILE");
            System.exit(2);
        }
        KernelConnectionProperties connection = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection jupyter = new JupyterConnection(connection);
        PktlabKernel kernel = PktlabKernel.builder().build();
        kernel.becomeHandlerForConnection(jupyter);
        kernel.onStartup();
        jupyter.connect();
        jupyter.waitUntilClose();
        // threads a cell started (servers, pools) must not keep a shut-down kernel alive
        System.exit(0);
    }
}
