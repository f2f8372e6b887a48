package org.packetlab.ppks;

import java.util.Optional;

/** The type of a PacketLab certificate, the {@code cert_type} of its cert_info (spec/certificates.md §4). */
public enum CertType {
    /** Subscription command: an endpoint operator lets an endpoint key represent it (leaf of an endpoint chain). */
    SUBCMD("subcmd", 0, false),
    /** Publication command: an experimenter lets a controller key publish and run its experiments (leaf of a controller chain). */
    PUBCMD("pubcmd", 1, false),
    /** Experiment privilege: an endpoint operator grants an experimenter experiments on its endpoints, with limits. */
    EXPPRIV("exppriv", 2, true),
    /** Delegated privilege: re-delegation of experiment ({@link DelType#EXPPRIV}) and/or representation ({@link DelType#REPPRIV}) privilege. */
    DELPRIV("delpriv", 3, true),
    /** Identity of an agent towards brokers and proxies, usually self-signed. */
    AGENT("agent", 4, false);

    private final String token;
    private final int code;
    private final boolean authority;

    CertType(String token, int code, boolean authority) {
        this.token = token;
        this.code = code;
        this.authority = authority;
    }

    /** The {@code cert_type} value, e.g. {@code "exppriv"}. */
    public String token() {
        return token;
    }

    /** The reference's enum value (subcmd 0 … agent 4). */
    public int code() {
        return code;
    }

    /**
     * Whether certificates of this type sign other certificates (exppriv, delpriv): CA basic
     * constraints, keyCertSign key usage, limits allowed.
     */
    public boolean isAuthority() {
        return authority;
    }

    /** The type named {@code token} exactly (case-sensitive, as the reference compares). */
    public static Optional<CertType> fromToken(String token) {
        for (CertType t : values()) {
            if (t.token.equals(token)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return token;
    }
}
