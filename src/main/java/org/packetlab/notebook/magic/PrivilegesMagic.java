package org.packetlab.notebook.magic;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.packetlab.config.InstalledPrivilege;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.PrivilegeRefusedException;

/**
 * {@code %pktlab privileges add --name N --cert F --operator-key F [--home DIR]}: installs a received
 * exppriv as a new ExpExec entry of the home's manager, after verifying its chain. Java:
 * {@code home.addPrivilege(N, certFile, operatorKeyFile, null, false)}.
 */
final class PrivilegesMagic implements PktlabMagic {

    @Override
    public String name() {
        return "privileges";
    }

    @Override
    public String summary() {
        return "install a received privilege, verified (Java: home.addPrivilege(N, cert, operatorKey, null, false))";
    }

    @Override
    public String arguments() {
        return "add --name N --cert F --operator-key F [--home DIR]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("privileges", words, Set.of("--name", "--cert", "--operator-key", "--home"), Set.of(), false)
                .positionalCount(1, 1, "add");
        if (!args.positional().get(0).equals("add")) {
            throw new MagicUsageException("privileges: expected add, got '" + args.positional().get(0) + "'");
        }
        String name = args.required("--name");
        Path cert = Path.of(args.required("--cert"));
        Path operatorKey = Path.of(args.required("--operator-key"));
        PktlabHome home = MagicSession.of(context).initializedHome(args);
        InstalledPrivilege installed;
        try {
            installed = home.addPrivilege(name, cert, operatorKey, null, false);
        } catch (PrivilegeRefusedException e) {
            throw new MagicUsageException("privileges: refused: " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new MagicUsageException("privileges: " + e.getFile() + " does not exist");
        } catch (IllegalArgumentException e) {
            // a NAME unfit for file names
            throw new MagicUsageException("privileges: " + e.getMessage());
        }
        return "installed privilege " + installed.name() + " in " + home.dir() + ": " + installed.certFile().getFileName()
                + " with operator key " + installed.operatorKeyFile().getFileName();
    }
}
