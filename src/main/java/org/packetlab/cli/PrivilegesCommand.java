package org.packetlab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.packetlab.config.HomeStatus;
import org.packetlab.config.PktlabHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pktlab privileges}: what a PacketLab home holds, and whether each piece is usable. */
@Command(name = "privileges",
        mixinStandardHelpOptions = true,
        subcommands = {PrivilegesAddCommand.class, PrivilegesRequestCommand.class},
        description = {
                "Show the keys, certificates, certificate requests, configuration files and experiment "
                        + "privileges (the ExpExec entries of xpmgr.conf) of a PacketLab home, and what is wrong "
                        + "with each. A privilege is usable when its chain verifies now against its trusted "
                        + "operator keys."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab privileges                    the home in ~/.pktlab",
                "  pktlab privileges --home /tmp/lab    another home",
                "  pktlab privileges add --name caida --cert caida_exppriv.cert \\",
                "      --operator-key caida_k_eop.pub   install a privilege you were granted"})
final class PrivilegesCommand implements Callable<Integer> {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() throws Exception {
        PktlabHome h = home.home();
        if (!Files.isDirectory(h.dir())) {
            throw new IllegalStateException("no PacketLab home at " + h.dir() + ": run `pktlab init"
                    + (home.dir == null ? "" : " --home " + h.dir()) + "` first");
        }
        List<HomeStatus> rows = h.status();
        PrintWriter out = spec.commandLine().getOut();
        out.println("PacketLab home " + h.dir());
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"KIND", "NAME", "TYPE", "KEY ID", "VALIDITY", "STATUS", "DETAIL"});
        for (HomeStatus r : rows) {
            table.add(new String[] {
                    r.kind().label(),
                    r.name(),
                    r.certType().map(Object::toString).orElse(""),
                    r.keyId().map(k -> k.hex().substring(0, 16)).orElse(""),
                    r.validFrom().map(DAY::format).orElse("") + (r.validUntil().isPresent() ? ".." + DAY.format(r.validUntil().get()) : ""),
                    r.ok() ? "ok" : String.join("; ", r.problems()),
                    r.detail()});
        }
        print(out, table);
        long bad = rows.stream().filter(r -> !r.ok()).count();
        out.println(bad == 0 ? "Everything is usable." : bad + " item(s) with problems.");
        out.flush();
        return 0;
    }

    /** Left-aligned columns separated by two spaces; the last column is not padded. */
    static void print(PrintWriter out, List<String[]> table) {
        int cols = table.get(0).length;
        int[] width = new int[cols];
        for (String[] row : table) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(i == cols - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
