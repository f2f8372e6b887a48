package org.packetlab.cli;

import java.nio.file.Path;
import org.packetlab.config.PktlabHome;
import picocli.CommandLine.Option;

/** The {@code --home DIR} option shared by the commands that work on a PacketLab home. */
final class HomeOption {
    @Option(names = "--home", paramLabel = "DIR",
            description = "PacketLab home directory (default: $HOME/.pktlab).")
    Path dir;

    PktlabHome home() {
        return dir == null ? PktlabHome.atDefault() : PktlabHome.at(dir);
    }
}
