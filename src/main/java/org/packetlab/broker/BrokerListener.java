package org.packetlab.broker;

import java.net.SocketAddress;
import org.packetlab.wire.Status;

/**
 * What happens inside a {@link Broker}, for embedding code and tests (the same events are logged).
 * Every method has an empty default.
 *
 * <h2>Threading</h2>
 * Methods are called on the broker's event loops, some while it holds its publication store:
 * return quickly, never block, and do not call back into the broker from them.
 */
public interface BrokerListener {

    /** A publication was accepted and is now delivered to matching subscribers. */
    default void published(PublicationInfo publication) {}

    /** A publication ended because its publisher's connection closed. */
    default void withdrawn(PublicationInfo publication) {}

    /** A publication reached its end time (or was accepted already past it) and is no longer delivered. */
    default void expired(PublicationInfo publication) {}

    /** A subscription was accepted; its catch-up notifications have been queued. */
    default void subscribed(SubscriptionInfo subscription) {}

    /** A subscription ended because its connection closed (by either side). */
    default void unsubscribed(SubscriptionInfo subscription) {}

    /** One notification was queued for a subscriber. */
    default void notified(SubscriptionInfo subscription, PublicationInfo publication) {}

    /**
     * A request was refused with a non-zero {@code result}.
     *
     * @param peer   the client's address
     * @param status the status sent
     * @param reason why, in words (the same text as the log line)
     */
    default void refused(SocketAddress peer, Status status, String reason) {}

    /** The broker closed a connection on its own: a timeout, a TLS failure, a bad frame, a full queue, a policy. */
    default void dropped(SocketAddress peer, String reason) {}
}
