package org.packetlab.mlet;

import java.io.IOException;
import java.util.Objects;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;

/**
 * The endpoint refused a request, or gave up on a send, with a PacketLab status: for example
 * {@code ESKTOPNDENY} for a connection the experiment's privileges do not allow, or
 * {@code ESKTINUSE} for a socket id already taken. The session goes on.
 *
 * <pre>{@code
 * try {
 *     ep.tcp("192.0.2.1", 80);
 * } catch (PacketLabException e) {
 *     if (e.status() == Status.ESKTOPNDENY) { ... }   // not allowed by the certificate
 * }
 * }</pre>
 */
public class PacketLabException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Result result;

    /** A refusal described by {@code message}, answered with {@code result}. */
    public PacketLabException(String message, Result result) {
        super(message);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The status the endpoint answered; {@link Status#UNKNOWN} for a code without a name (see {@link #errid()}). */
    public Status status() {
        return result.status();
    }

    /** The 16-bit status code. */
    public int errid() {
        return result.errid();
    }

    /** The endpoint's answer, with the monitor index and error for monitor refusals. */
    public Result result() {
        return result;
    }
}
