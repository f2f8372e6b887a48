package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.packetlab.notebook.magic.MagicUsageException;

/**
 * A kernel evaluating cells in the test JVM, as Jupyter's execute requests would: started before
 * a test class's tests, shut down after them (a JVM runs one started kernel at a time). Use as
 * {@code @RegisterExtension static final InProcessKernel started = new InProcessKernel();} and
 * {@code private final PktlabKernel kernel = started.get();}.
 */
final class InProcessKernel implements BeforeAllCallback, AfterAllCallback {

    private PktlabKernel kernel;

    @Override
    public void beforeAll(ExtensionContext context) {
        kernel = PktlabKernel.builder().build();
        kernel.onStartup();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        kernel.onShutdown(false);
    }

    /** The started kernel. */
    PktlabKernel get() {
        return kernel;
    }

    /** Evaluates {@code cell}, which must fail with a magic's usage error, and returns that error. */
    MagicUsageException usageError(String cell) {
        Throwable e = catchThrowable(() -> kernel.eval(cell));
        assertThat(e).as(cell).isInstanceOf(MagicUsageException.class);
        return (MagicUsageException) e;
    }
}
