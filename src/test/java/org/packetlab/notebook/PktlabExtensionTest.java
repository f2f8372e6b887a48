package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.ServiceLoader;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.notebook.magic.MagicHelp;

/** The magics as a JJava extension: found through the service file, installed once, removed on uninstall. */
@Timeout(60)
class PktlabExtensionTest {

    @Test
    void serviceFileOffersTheExtensionToAnyJJavaKernel() {
        assertThat(ServiceLoader.load(Extension.class).stream().map(ServiceLoader.Provider::type))
                .contains(PktlabExtension.class);
    }

    @Test
    void installRegistersTheMagicsOnceAndUninstallRemovesThem() throws Exception {
        PktlabKernel kernel = PktlabKernel.builder().build();
        MagicsRegistry registry = kernel.getMagicsRegistry();
        assertThat(registry.getLineMagicNames()).doesNotContain("pktlab");

        PktlabExtension extension = new PktlabExtension();
        extension.install(kernel);
        assertThat(registry.getLineMagicNames()).contains("pktlab");
        assertThat(registry.getCellMagicNames()).contains("pktlab");
        Object help = registry.evalLineMagic(kernel, "pktlab", List.of("help"));
        assertThat(help).isInstanceOf(MagicHelp.class);

        assertThatThrownBy(() -> new PktlabExtension().install(kernel))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the %pktlab magics are already installed in this kernel");

        extension.uninstall(kernel);
        assertThat(registry.getLineMagicNames()).doesNotContain("pktlab");
        assertThat(registry.getCellMagicNames()).doesNotContain("pktlab");
    }

    @Test
    void kernelStartInstallsTheExtensionOnceAndShutdownRemovesIt() {
        PktlabKernel kernel = PktlabKernel.builder().build();
        // extensions enabled: the service file and the kernel itself both offer it
        kernel.onStartup();
        try {
            assertThat(kernel.evalRaw("%pktlab help")).isInstanceOf(MagicHelp.class);
        } finally {
            kernel.onShutdown(false);
        }
        assertThat(kernel.getMagicsRegistry().getLineMagicNames()).doesNotContain("pktlab");
    }
}
