package org.packetlab.ppks;

/** Why a chain was rejected: the reference's result codes of {@code pktlab_verify_cert_chain} (spec/certificates.md §5.2). */
public enum ChainFailure {
    /** A certificate does not decode, a signature does not verify, or the top's signature fails with its root. */
    BAD_CERT(2),
    /** Fewer certificates than the mode needs. */
    NOT_ENOUGH_CERT(3),
    /** More certificates than the mode allows (or than our cap of {@link ChainVerifier#MAX_CHAIN_LENGTH}). */
    TOO_MANY_CERT(4),
    /** A certificate of the wrong type for its place in the chain. */
    UNEXPECTED_CERT(5),
    /** A certificate outside its validity period (expired or not yet valid). */
    EXPIRED_CERT(6),
    /** No unused certificate (or no trusted root) has the key id that signed the current certificate. */
    NO_MATCHING_SIGN_KEY(7),
    /** A privilege certificate has more certificates below it than its path length allows. */
    PATHLEN_EXCEEDED(8),
    /** The chain ended before the mode's mandatory phases were satisfied. */
    END_OF_PHASES(9),
    /** A delpriv that does not delegate the privilege its place needs. */
    BAD_DEL_TYPE(10);

    private final int code;

    ChainFailure(int code) {
        this.code = code;
    }

    /** The reference's numeric result code. */
    public int code() {
        return code;
    }
}
