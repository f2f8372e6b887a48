package org.packetlab.notebook.magic;

import java.util.List;

/**
 * One sub-magic of {@code %pktlab}: {@code %pktlab NAME ARGS...} as a line magic, or
 * {@code %%pktlab NAME ARGS...} with the rest of the cell as its body.
 *
 * <p>Implementations are small adapters: check the arguments (throw {@link MagicUsageException}
 * with one line saying what is wrong), call the PacketLab API, return the value to display.
 */
public interface PktlabMagic {

    /** The word after {@code %pktlab}, e.g. {@code lab}. */
    String name();

    /** One line for {@code %pktlab help}. */
    String summary();

    /** The arguments' syntax after the name, e.g. {@code local [--endpoints N]}; empty for none. */
    default String arguments() {
        return "";
    }

    /**
     * Runs the magic.
     *
     * @param context the kernel, display, interrupt hooks and the state kept between cells
     * @param args the words after the name (quotes removed)
     * @param cellBody the cell below a {@code %%pktlab} line, or null for the line magic
     * @return the value the notebook displays (null for nothing)
     */
    Object run(MagicContext context, List<String> args, String cellBody) throws Exception;
}
