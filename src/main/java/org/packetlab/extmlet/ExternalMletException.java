package org.packetlab.extmlet;

import java.util.Objects;

/**
 * An external mlet that failed for one endpoint: its process could not start, exited with a
 * non-zero status or a signal, broke the framing on its fd 0, outstayed its session, or was
 * cancelled. The message says which, in one line; {@link #report()} holds what is known of the
 * process (its exit status and captured output).
 */
public final class ExternalMletException extends Exception {

    private final transient MletReport report;

    ExternalMletException(String message, MletReport report, Throwable cause) {
        super(message, cause);
        this.report = Objects.requireNonNull(report, "report");
    }

    /** The process's report: exit status and output as far as they are known. */
    public MletReport report() {
        return report;
    }
}
