package org.packetlab.config;

import java.util.Optional;
import org.packetlab.ppks.Verdict;

/**
 * A privilege that {@link PktlabHome#addPrivilege} will not install: its chain would not verify, or
 * it clashes with what the home already holds. Nothing was changed.
 */
public final class PrivilegeRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Verdict.Rejected verdict;

    PrivilegeRefusedException(String message) {
        super(message);
        this.verdict = null;
    }

    PrivilegeRefusedException(String message, Verdict.Rejected verdict) {
        super(message);
        this.verdict = verdict;
    }

    PrivilegeRefusedException(String message, Throwable cause) {
        super(message, cause);
        this.verdict = null;
    }

    /** The chain verifier's verdict, when the chain is what was refused. */
    public Optional<Verdict.Rejected> verdict() {
        return Optional.ofNullable(verdict);
    }
}
