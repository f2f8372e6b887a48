package org.packetlab.broker;

import org.packetlab.wire.Status;

/**
 * The broker answered a request with a non-zero {@code result} (spec/broker.md §5.1, §8.1): the
 * publication or subscription was refused. The connection stays open; the reference manager
 * treats this as fatal and logs {@link #errid()}.
 */
public final class BrokerRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String request;
    private final int errid;

    BrokerRefusedException(String request, int errid) {
        super("broker refused " + request + " with " + Status.nameOf(errid) + " (errid " + errid + ")");
        this.request = request;
        this.errid = errid;
    }

    /** Which request was refused, e.g. {@code "xpub"} or {@code "xcert 2 of 3 (exppriv)"}. */
    public String request() {
        return request;
    }

    /** The errid of the broker's {@code result}. */
    public int errid() {
        return errid;
    }

    /** The named status of {@link #errid()} ({@link Status#UNKNOWN} for codes without a name). */
    public Status status() {
        return Status.of(errid);
    }
}
