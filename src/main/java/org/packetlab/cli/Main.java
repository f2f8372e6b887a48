package org.packetlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pktlab} command line: the composition root of every command-line program.
 *
 * <p>Exit codes: 0 ok, 2 usage error, 1 failure (with one clear line on stderr).
 */
@Command(name = "pktlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "PacketLab for Java: run network-measurement experiments on PacketLab endpoints.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DecodeCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                KernelCommand.class,
                InitCommand.class,
                PrivilegesCommand.class,
                BrokerCommand.class,
                KeyCommand.class,
                CsrCommand.class,
                CertCommand.class,
                EndptCommand.class,
                XpmgrCommand.class,
                PortalCommand.class,
                ProxyCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code; visible for tests. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(Failures::report);
        cl.setParameterExceptionHandler(Failures::usage);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"pktlab " + (v == null ? "(development build)" : v)
                    + " (compatible with PacketLab 1.1.0)"};
        }
    }
}
