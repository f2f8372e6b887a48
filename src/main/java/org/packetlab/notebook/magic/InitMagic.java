package org.packetlab.notebook.magic;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.packetlab.config.PktlabHome;

/**
 * {@code %pktlab init [--home DIR] [--force]}: creates a PacketLab home (keys, certificates,
 * configuration) and makes it the home of the later magics. Java: {@code PktlabHome.at(dir).init(force)}.
 */
final class InitMagic implements PktlabMagic {

    @Override
    public String name() {
        return "init";
    }

    @Override
    public String summary() {
        return "create a home with keys, certificates and configs, used by later magics (Java: PktlabHome.at(DIR).init(force))";
    }

    @Override
    public String arguments() {
        return "[--home DIR] [--force]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("init", words, Set.of("--home"), Set.of("--force"), false).positionalCount(0, 0, "");
        PktlabHome home = args.option("--home").map(Path::of).map(PktlabHome::at).orElseGet(PktlabHome::atDefault);
        List<Path> created;
        try {
            created = home.init(args.flag("--force"));
        } catch (FileAlreadyExistsException e) {
            throw new MagicUsageException("init: " + e.getFile() + " exists; add --force to replace the home's files");
        }
        MagicSession.of(context).home(home);
        return "initialised " + home.dir() + ": " + created.size() + " files and directories";
    }
}
