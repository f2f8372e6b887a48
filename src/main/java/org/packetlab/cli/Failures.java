package org.packetlab.cli;

import picocli.CommandLine;

/** How the command line reports failures: one clear line on stderr, never a bare stack trace. */
final class Failures {
    private Failures() {}

    /** A failure while running a command: exit 1 with its message (and causes) on one line. */
    static int report(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (Boolean.getBoolean("pktlab.debug")) {
            e.printStackTrace(cl.getErr());
        }
        return 1;
    }

    /** A usage error: exit 2 with the message and the command's usage. */
    static int usage(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        cl.usage(cl.getErr());
        return 2;
    }

    /** The message of an exception followed by the messages of its causes that add something. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(message(e));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            String m = message(c);
            if (!sb.toString().contains(m)) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    private static String message(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
