package org.packetlab.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.packetlab.notebook.KernelSpec;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pktlab kernel install|spec}: the Jupyter kernelspec of "PacketLab (Java)". */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Install the Jupyter kernel \"PacketLab (Java)\" (or write its kernelspec).",
        subcommands = {KernelCommand.Install.class, KernelCommand.Spec.class})
final class KernelCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code pktlab kernel install [--user|--prefix DIR|--sys-prefix] [--name N]}. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Install the kernelspec where Jupyter finds it (default: for this user).")
    static final class Install implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @ArgGroup(exclusive = true)
        Where where = new Where();

        @Option(names = "--name", paramLabel = "N", description = "kernelspec name (default: ${DEFAULT-VALUE})",
                defaultValue = KernelSpec.DEFAULT_NAME)
        String name;

        static final class Where {
            @Option(names = "--user", description = "for this user (the default)")
            boolean user;

            @Option(names = "--prefix", paramLabel = "DIR", description = "under DIR/share/jupyter (e.g. a virtualenv)")
            Path prefix;

            @Option(names = "--sys-prefix", description = "under the prefix of the Python that runs jupyter")
            boolean sysPrefix;
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            KernelNames.check(name);
            Path kernels = kernelsDir();
            Path dir = KernelSpec.forInstallation(KernelCommand.home()).writeTo(kernels.resolve(name));
            var out = spec.commandLine().getOut();
            out.println("Installed kernelspec '" + name + "' (" + KernelSpec.DISPLAY_NAME + ") in " + dir);
            if (Jupyter.find().isPresent()) {
                out.println("List the kernels Jupyter knows with: jupyter kernelspec list");
                out.println("Open a notebook with: jupyter notebook  (then New > " + KernelSpec.DISPLAY_NAME + ")");
            } else {
                out.println("Jupyter is not on PATH; once it is, `jupyter kernelspec list` shows this kernel.");
            }
            return 0;
        }

        private Path kernelsDir() throws IOException, InterruptedException {
            if (where.prefix != null) {
                return where.prefix.toAbsolutePath().resolve("share/jupyter/kernels");
            }
            if (where.sysPrefix) {
                return Jupyter.sysPrefix().resolve("share/jupyter/kernels");
            }
            return Jupyter.userDataDir().resolve("kernels");
        }
    }

    /** {@code pktlab kernel spec --dir DIR}: writes the kernelspec folder without installing it. */
    @Command(name = "spec", mixinStandardHelpOptions = true,
            description = "Write the kernelspec folder (kernel.json and logos) to DIR without installing it.")
    static final class Spec implements Callable<Integer> {

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the kernelspec folder to write")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Path written = KernelSpec.forInstallation(KernelCommand.home()).writeTo(dir);
            spec.commandLine().getOut().println("Wrote kernelspec " + written.resolve("kernel.json"));
            return 0;
        }
    }

    /** The PacketLab installation: {@code pktlab.home.dir} (set by ./pktlab), else the current folder. */
    static Path home() {
        String home = System.getProperty("pktlab.home.dir");
        return Path.of(home == null || home.isBlank() ? "." : home);
    }

    /** Kernelspec names as Jupyter accepts them. */
    static final class KernelNames {
        private KernelNames() {}

        static void check(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("kernel name '" + name + "' may only have letters, digits, '.', '_' and '-'");
            }
        }
    }

    /** Where Jupyter looks, found without asking it when possible. */
    static final class Jupyter {
        private Jupyter() {}

        /** The {@code jupyter} executable on PATH, if any. */
        static Optional<Path> find() {
            String path = System.getenv("PATH");
            if (path == null) {
                return Optional.empty();
            }
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, "jupyter");
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }

        /** Jupyter's per-user data folder, as jupyter_core computes it. */
        static Path userDataDir() {
            String explicit = System.getenv("JUPYTER_DATA_DIR");
            if (explicit != null && !explicit.isBlank()) {
                return Path.of(explicit);
            }
            Path userHome = Path.of(System.getProperty("user.home"));
            if (System.getProperty("os.name", "").startsWith("Mac")) {
                return userHome.resolve("Library/Jupyter");
            }
            String xdg = System.getenv("XDG_DATA_HOME");
            return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : userHome.resolve(".local/share")).resolve("jupyter");
        }

        /** {@code sys.prefix} of the Python that runs {@code jupyter}. */
        static Path sysPrefix() throws IOException, InterruptedException {
            Path jupyter = find().orElseThrow(() ->
                    new IllegalStateException("--sys-prefix needs jupyter on PATH (it was not found)"));
            String shebang = Files.readAllLines(jupyter).stream().findFirst().orElse("");
            if (!shebang.startsWith("#!")) {
                throw new IllegalStateException("cannot tell which Python runs " + jupyter + "; use --prefix DIR");
            }
            List<String> command = new ArrayList<>(List.of(shebang.substring(2).strip().split("\\s+")));
            command.addAll(List.of("-c", "import sys; print(sys.prefix)"));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0 || out.isEmpty()) {
                throw new IllegalStateException("cannot ask " + command.get(0) + " for sys.prefix: " + out);
            }
            return Path.of(out);
        }
    }
}
