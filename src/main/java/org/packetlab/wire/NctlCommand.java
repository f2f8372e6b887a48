package org.packetlab.wire;

import java.util.Optional;

/** A socket control command of {@code nctl} (spec/wire-protocol.md §5.11). */
public enum NctlCommand {
    /** Shut down the write side of a TCP socket ({@code PKTLAB_NCTL_TCP_FIN}). */
    TCP_FIN(0x01);

    private final int code;

    NctlCommand(int code) {
        this.code = code;
    }

    /** The command byte on the wire. */
    public int code() {
        return code;
    }

    /** The command for a wire value; empty for commands 1.1.0 does not define. */
    public static Optional<NctlCommand> of(int code) {
        return code == TCP_FIN.code ? Optional.of(TCP_FIN) : Optional.empty();
    }
}
