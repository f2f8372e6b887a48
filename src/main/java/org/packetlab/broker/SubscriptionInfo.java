package org.packetlab.broker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;

/**
 * A subscription the broker accepted, as its listener and {@link Broker#subscriptions()} see it.
 *
 * @param id         the broker's number for it, increasing in acceptance order
 * @param subscriber the subscriber's TCP address
 * @param agentKey   key id of the subscriber's agent key (its TLS identity)
 * @param channels   the channels subscribed to, duplicates removed, in request order
 * @param dattr      the endpoint attributes, as sent
 */
public record SubscriptionInfo(long id, InetSocketAddress subscriber, KeyId agentKey, List<Channel> channels,
                               NameValues dattr) {
    public SubscriptionInfo {
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(agentKey, "agentKey");
        channels = List.copyOf(channels);
        Objects.requireNonNull(dattr, "dattr");
    }
}
