package org.packetlab.notebook;

import java.util.List;
import java.util.TreeSet;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.packetlab.notebook.magic.MagicUsageException;

/**
 * What magics become in a cell: {@code %name a b} is {@code MagicCalls.line("name", List.of("a", "b"))}.
 * Public because cells call it; the magic's own exception comes out unchanged.
 */
public final class MagicCalls {
    private MagicCalls() {}

    /** Runs line magic {@code name} of the running kernel and returns its value (typed as the target wants). */
    @SuppressWarnings("unchecked")
    public static <T> T line(String name, List<String> args) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        try {
            return (T) kernel.getMagicsRegistry().evalLineMagic(kernel, name, args);
        } catch (UndefinedMagicException e) {
            throw new MagicUsageException("unknown line magic %" + name,
                    "line magics: %" + String.join(", %", new TreeSet<>(kernel.getMagicsRegistry().getLineMagicNames())));
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }

    /** Runs cell magic {@code name} of the running kernel on {@code body} and returns its value. */
    @SuppressWarnings("unchecked")
    public static <T> T cell(String name, List<String> args, String body) {
        BaseKernel kernel = BaseKernel.notebookKernel();
        try {
            return (T) kernel.getMagicsRegistry().evalCellMagic(kernel, name, args, body);
        } catch (UndefinedMagicException e) {
            throw new MagicUsageException("unknown cell magic %%" + name,
                    "cell magics: %%" + String.join(", %%", new TreeSet<>(kernel.getMagicsRegistry().getCellMagicNames())));
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }
}
