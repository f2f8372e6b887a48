package org.packetlab.ppks;

import java.util.List;

/**
 * The chain shape a verifier expects: one mode per kind of peer (spec/certificates.md §5.3).
 * Each mode is a list of phases, walked leaf first.
 */
public enum VerifyMode {
    /**
     * A controller (or broker) verifies an endpoint's chain: {@code subcmd} (may end the chain),
     * then zero or more {@code delpriv} with {@code reppriv}, each signed by the next.
     */
    CONTROLLER_AUTH_ENDPOINT(0, 1, Integer.MAX_VALUE, List.of(
            new Phase(CertType.SUBCMD, null, false, End.MAY),
            new Phase(CertType.DELPRIV, DelType.REPPRIV, true, End.MAY))),
    /**
     * An endpoint verifies a controller's experiment chain: {@code pubcmd}, zero or more
     * {@code delpriv} with {@code exppriv}, then exactly one {@code exppriv} signed by a root.
     */
    ENDPOINT_AUTH_CONTROLLER(1, 2, Integer.MAX_VALUE, List.of(
            new Phase(CertType.PUBCMD, null, false, End.MUST_NOT),
            new Phase(CertType.DELPRIV, DelType.EXPPRIV, true, End.MUST_NOT),
            new Phase(CertType.EXPPRIV, null, false, End.MUST))),
    /** TLS with brokers and proxies: exactly one {@code agent} certificate. */
    AGENT(2, 1, 1, List.of(new Phase(CertType.AGENT, null, false, End.MUST)));

    /** Whether the chain may end after a certificate of a phase. */
    enum End { MAY, MUST_NOT, MUST }

    /**
     * One phase: the expected type (and delegation bit), whether it takes exactly one certificate
     * or any number, and whether the chain may end there.
     */
    record Phase(CertType type, DelType requiredDelType, boolean unbounded, End end) {
        boolean accepts(Cert c) {
            return c.type() == type && (requiredDelType == null || c.delTypes().contains(requiredDelType));
        }
    }

    private final int code;
    private final int minCerts;
    private final int maxCerts;
    private final List<Phase> phases;

    VerifyMode(int code, int minCerts, int maxCerts, List<Phase> phases) {
        this.code = code;
        this.minCerts = minCerts;
        this.maxCerts = maxCerts;
        this.phases = phases;
    }

    /** The reference's mode value. */
    public int code() {
        return code;
    }

    /** Fewest certificates a peer may send in this mode. */
    public int minCerts() {
        return minCerts;
    }

    /** Most certificates the reference accepts in this mode (unbounded = {@link Integer#MAX_VALUE}; we cap at {@link ChainVerifier#MAX_CHAIN_LENGTH}). */
    public int maxCerts() {
        return maxCerts;
    }

    List<Phase> phases() {
        return phases;
    }
}
