package org.packetlab.extmlet;

import java.util.Map;

/**
 * How an mlet process ended: it exited with a status code, or a signal killed it.
 *
 * @param code   the exit status (0..255) when {@code signal} is 0; -1 otherwise
 * @param signal the number of the signal that killed the process; 0 when it exited
 */
public record ExitStatus(int code, int signal) {

    private static final Map<Integer, String> SIGNAL_NAMES = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"));

    public ExitStatus {
        if (signal < 0 || signal > 127) {
            throw new IllegalArgumentException("signal " + signal + " is not in 0..127");
        }
        if (signal == 0 && (code < 0 || code > 255)) {
            throw new IllegalArgumentException("exit code " + code + " is not in 0..255");
        }
        if (signal != 0 && code != -1) {
            throw new IllegalArgumentException("a process killed by a signal has no exit code");
        }
    }

    /** The process called {@code exit(code)}. */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0);
    }

    /** Signal {@code signal} killed the process. */
    public static ExitStatus killedBy(int signal) {
        return new ExitStatus(-1, signal);
    }

    /** Decodes a {@code waitpid} status of an ended process (Linux layout). */
    static ExitStatus fromWaitStatus(int status) {
        int low = status & 0x7f;
        return low == 0 ? exited((status >> 8) & 0xff) : killedBy(low);
    }

    /** Whether the process exited with status 0. */
    public boolean isSuccess() {
        return signal == 0 && code == 0;
    }

    /** {@code SIGABRT} for 6; {@code signal 34} for a number without a common name. */
    static String signalName(int signal) {
        return SIGNAL_NAMES.getOrDefault(signal, "signal " + signal);
    }

    /** {@code exit 0}, {@code exit 3}, {@code killed by SIGABRT}. */
    @Override
    public String toString() {
        return signal == 0 ? "exit " + code : "killed by " + signalName(signal);
    }
}
