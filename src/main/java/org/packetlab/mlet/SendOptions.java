package org.packetlab.mlet;

import java.time.Instant;
import java.util.Objects;
import org.packetlab.wire.PktlabTime;

/**
 * How a send is made: when the endpoint sends it, and which tag reports it. Immutable; each method
 * returns a new value.
 *
 * <pre>{@code
 * socket.send(data, SendOptions.defaults().at(ep.clock().plusMillis(100)).tag(7));
 * }</pre>
 */
public final class SendOptions {

    private static final int AUTO_TAG = -1;
    private static final SendOptions DEFAULTS = new SendOptions(0, AUTO_TAG);

    private final long time;
    private final int tag;

    private SendOptions(long time, int tag) {
        this.time = time;
        this.tag = tag;
    }

    /** As soon as possible, with a tag chosen by the session. */
    public static SendOptions defaults() {
        return DEFAULTS;
    }

    /** Sends at endpoint time {@code endpointTime} (not before; sends on a socket still go out in order). */
    public SendOptions at(Instant endpointTime) {
        return new SendOptions(PktlabTime.of(Objects.requireNonNull(endpointTime, "endpointTime")), tag);
    }

    /** Uses {@code tag} (1-65535) instead of a session-chosen one. */
    public SendOptions tag(int tag) {
        if (tag < 1 || tag > 0xFFFF) {
            throw new IllegalArgumentException("tag " + tag + " is not in 1..65535");
        }
        return new SendOptions(time, tag);
    }

    /** Sends with tag 0: the endpoint never reports when it sent, so {@link Sent#sentAt()} is unavailable. */
    public SendOptions untagged() {
        return new SendOptions(time, 0);
    }

    long time() {
        return time;
    }

    /** The chosen tag, 0 for untagged, or -1 for "let the session choose". */
    int tag() {
        return tag;
    }

    @Override
    public String toString() {
        return "SendOptions[time=" + (time == 0 ? "now" : PktlabTime.toInstant(time)) + ", tag="
                + (tag == AUTO_TAG ? "auto" : tag == 0 ? "none" : tag) + "]";
    }
}
