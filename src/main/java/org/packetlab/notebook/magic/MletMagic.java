package org.packetlab.notebook.magic;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.packetlab.mlet.Mlet;

/**
 * The cell magic {@code %%mlet NAME [--run]}: the cell's body is the body of an {@code Mlet<Object>}
 * lambda with {@code ep} bound to the endpoint session, compiled with the cell; it is registered
 * under NAME for {@code %pktlab run NAME}, and run at once with {@code --run}. In Java:
 * {@code MletMagic.define("NAME", ep -> { BODY });}.
 */
public final class MletMagic {
    /** The cell magic's name: {@code %%mlet}. */
    public static final String NAME = "mlet";
    /** Usage line of {@code %%mlet}. */
    public static final String USAGE = "usage: %%mlet NAME [--run]  (the cell below is Java with ep bound to the "
            + "endpoint session, ending in return VALUE;)";

    /** The line {@code %pktlab help} shows for {@code %%mlet}. */
    static final MagicHelp.Entry HELP = new MagicHelp.Entry("%%", NAME, "NAME [--run]",
            "define an mlet from the cell below (Java with ep bound to the endpoint session, ending in return VALUE;);"
                    + " --run runs it at once (Java: MletMagic.define(NAME, ep -> { ... }))");

    // one kernel per JVM: cells compile against this class, so the registry is the class's own
    private static final Map<String, Mlet<Object>> DEFINED = new ConcurrentHashMap<>();

    private MletMagic() {}

    /** Registers {@code mlet} under {@code name} (replacing an earlier one) and returns the name. */
    public static String define(String name, Mlet<Object> mlet) {
        DEFINED.put(name, mlet);
        return name;
    }

    /** The mlet defined under {@code name}, if any. */
    public static Optional<Mlet<Object>> defined(String name) {
        return Optional.ofNullable(DEFINED.get(name));
    }

    /** The words of {@code %%mlet}, checked: NAME is a Java-like word, the only option is {@code --run}. */
    public static Call parse(List<String> words) {
        boolean run = false;
        String name = null;
        for (String w : words) {
            if (w.equals("--run")) {
                run = true;
            } else if (w.startsWith("-")) {
                throw new MagicUsageException("mlet: unknown option " + w, USAGE);
            } else if (name != null) {
                throw new MagicUsageException("mlet: unexpected '" + w + "'", USAGE);
            } else if (!w.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new MagicUsageException("mlet: bad NAME '" + w + "' (letters, digits, _ . -)", USAGE);
            } else {
                name = w;
            }
        }
        if (name == null) {
            throw new MagicUsageException("mlet: missing NAME", USAGE);
        }
        return new Call(name, run);
    }

    /** A checked {@code %%mlet} line. */
    public record Call(String name, boolean run) {}
}
