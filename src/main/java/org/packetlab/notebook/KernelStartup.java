package org.packetlab.notebook;

import java.util.List;

/** The snippets every kernel runs before the first cell: the imports a notebook user gets for free. */
final class KernelStartup {
    private KernelStartup() {}

    static final List<String> IMPORTS = List.of(
            // what jshell's default start-up imports
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            // display(x), displayLive(x), updateDisplay(id, x), render(x)
            "import static " + NotebookFunctions.class.getName() + ".*;",
            // PacketLab's packages
            "import org.packetlab.wire.*;",
            // the whole notebook API with no import: Lab.local().start(), lab.run(...), Results, ...
            "import org.packetlab.config.*;",
            "import org.packetlab.lab.*;",
            "import org.packetlab.manager.*;",
            "import org.packetlab.mlet.*;",
            "import org.packetlab.results.*;",
            "import org.packetlab.ppks.*;",
            "import org.packetlab.examples.*;",
            "import org.packetlab.extmlet.ExternalMlet;",
            "import org.packetlab.extmlet.MletReport;",
            "import org.packetlab.notebook.magic.MletMagic;"
    );
}
