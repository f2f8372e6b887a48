package org.packetlab.notebook;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.packetlab.notebook.display.Displays;
import org.packetlab.notebook.magic.CancelHooks;
import org.packetlab.notebook.magic.PktlabMagics;

/**
 * The PacketLab magics and renderers as a JJava extension (listed in
 * {@code META-INF/services/org.dflib.jjava.jupyter.Extension}), so any JJava kernel with our jar
 * on its class path gets {@code %pktlab}; our own kernel installs it the same way.
 */
public final class PktlabExtension implements Extension {

    private volatile PktlabMagics magics;

    @Override
    public void install(BaseKernel kernel) {
        MagicsRegistry registry = kernel.getMagicsRegistry();
        if (magics != null || registry.getLineMagicNames().contains(PktlabMagics.NAME)) {
            throw new IllegalStateException("the %" + PktlabMagics.NAME + " magics are already installed in this kernel");
        }
        // only our kernel shows a line magic's value and runs cancel hooks on interrupt
        boolean ours = kernel instanceof PktlabKernel;
        CancelHooks hooks = ours ? ((PktlabKernel) kernel).cancelHooks() : new CancelHooks();
        PktlabMagics installed = PktlabMagics.standard(kernel, hooks, !ours);
        registry.registerLineMagic(PktlabMagics.NAME, installed);
        registry.registerCellMagic(PktlabMagics.NAME, installed);
        Displays.registerAll(kernel.getRenderer());
        magics = installed;
    }

    @Override
    public void uninstall(BaseKernel kernel) {
        PktlabMagics installed = magics;
        if (installed == null) {
            return;
        }
        magics = null;
        // JJava's registry has no remove; its name sets are live views of the registrations
        kernel.getMagicsRegistry().getLineMagicNames().remove(PktlabMagics.NAME);
        kernel.getMagicsRegistry().getCellMagicNames().remove(PktlabMagics.NAME);
        installed.close();
    }
}
