package org.packetlab.extmlet;

import org.packetlab.wire.FrameTooLongException;
import org.packetlab.wire.TruncatedFrameException;

/** The wording of external mlet failures, shared by endpoint sessions and the singleton process. */
final class Failures {
    private Failures() {}

    private static final int MAX_STDERR_NOTE = 160;

    /** {@code exited with status 3}, {@code was killed by SIGABRT}. */
    static String exitText(ExitStatus s) {
        return s.signal() == 0 ? "exited with status " + s.code() : "was killed by " + ExitStatus.signalName(s.signal());
    }

    /** {@code ; killed with SIGTERM} when the manager sent a signal, else empty. */
    static String killNote(int signal) {
        return signal == 0 ? "" : "; killed with " + ExitStatus.signalName(signal);
    }

    /** {@code  (stderr: last line)} when the process wrote something on its captured stderr, else empty. */
    static String stderrNote(CapturedOutput stderr) {
        String line = stderr.lastLine();
        if (line.isEmpty()) {
            return "";
        }
        return " (stderr: " + (line.length() > MAX_STDERR_NOTE ? line.substring(0, MAX_STDERR_NOTE - 1) + "\u2026" : line) + ")";
    }

    /** What went wrong on an mlet's fd 0, as the rest of a sentence starting with the mlet's name. */
    static String linkText(Throwable cause) {
        return switch (cause) {
            case FrameTooLongException tooLong -> "wrote a message header announcing " + tooLong.length()
                    + " bytes on fd 0, over the " + tooLong.maxBody() + "-byte limit";
            case TruncatedFrameException truncated -> "closed fd 0 inside a message: " + truncated.getMessage();
            default -> "broke its fd 0 link: " + cause;
        };
    }
}
