package org.packetlab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.packetlab.config.PktlabHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pktlab init}: creates a PacketLab home as the reference's {@code pktlab_init} does. */
@Command(name = "init",
        mixinStandardHelpOptions = true,
        description = {
                "Create a PacketLab home (default ~/.pktlab) as the reference's pktlab_init does: four Ed25519 "
                        + "key pairs (k_exper experimenter, k_xc experiment controller, k_eop endpoint operator, "
                        + "k_ep endpoint) plus CAIDA's broker key, five certificates linking them, three "
                        + "certificate requests (csrs/) to ask other operators for privileges, and xpmgr.conf, "
                        + "xpmgr.proxy.conf and endpt.conf, ready for a local experiment without edits.",
                "Existing keys and certificates are never overwritten unless --force is given."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  pktlab init                    create ~/.pktlab",
                "  pktlab init --home /tmp/lab    create a home elsewhere; give other",
                "                                 commands the same --home",
                "  pktlab init --force            start over with new keys (certificates",
                "                                 signed for the old keys stop working)"})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--force", description = "Replace existing keys, certificates, requests and configuration files.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PktlabHome h = home.home();
        List<Path> created = h.init(force);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created PacketLab home " + h.dir() + ":");
        for (Path p : created) {
            Path rel = h.dir().relativize(p);
            out.println("  " + (rel.toString().isEmpty() ? h.dir() + "/" : rel + (p.toFile().isDirectory() ? "/" : "")));
        }
        out.println("Private keys are unencrypted and readable by you only (keys/, mode 600).");
        out.println("Next: `pktlab privileges" + (home.dir == null ? "" : " --home " + h.dir())
                + "` shows what the home holds.");
        out.flush();
        return 0;
    }
}
