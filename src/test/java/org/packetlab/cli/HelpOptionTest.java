package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand of {@code pktlab} answers {@code --help} with its usage and exit code 0. */
class HelpOptionTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), List.of(), paths);
        assertThat(paths).hasSizeGreaterThan(20);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CapturedRun p = CapturedRun.of(args.toArray(String[]::new));
            String name = String.join(" ", path);
            assertThat(p.exit()).as("pktlab %s --help: %s", name, p.err()).isZero();
            assertThat(p.out()).as("pktlab %s --help", name).startsWith(("Usage: pktlab " + name).trim());
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }
}
