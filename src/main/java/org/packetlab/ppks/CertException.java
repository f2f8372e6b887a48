package org.packetlab.ppks;

import java.util.Objects;

/**
 * A certificate (or CSR) that does not satisfy the PacketLab profile: {@link #failure()} names the
 * first check it failed, in the order of spec/certificates.md §4.1.
 */
public final class CertException extends Exception {
    private final CertFailure failure;

    public CertException(CertFailure failure, String reason) {
        super(failure.name() + ": " + reason);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public CertException(CertFailure failure, String reason, Throwable cause) {
        super(failure.name() + ": " + reason, cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The check that failed. */
    public CertFailure failure() {
        return failure;
    }

    /** The human part of the message, without the failure name. */
    public String reason() {
        return getMessage().substring(failure.name().length() + 2);
    }
}
