package org.packetlab.mlet;

import java.io.IOException;
import java.util.Objects;
import org.packetlab.wire.SocketState;

/**
 * An endpoint socket failed: the connection was refused, reset, timed out or found unreachable.
 * The session goes on; close the socket to free its id.
 */
public class SocketFailedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int sktid;
    private final SocketState state;

    /** Socket {@code sktid} is in the failure state {@code state}. */
    public SocketFailedException(String message, int sktid, SocketState state) {
        super(message);
        this.sktid = sktid;
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The socket id. */
    public int sktid() {
        return sktid;
    }

    /** The socket's state on the endpoint ({@code REFUSED}, {@code RESET}, {@code TIMEDOUT}, {@code UNREACH}, {@code UNKFAULT}). */
    public SocketState state() {
        return state;
    }
}
