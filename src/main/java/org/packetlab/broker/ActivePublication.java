package org.packetlab.broker;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import org.packetlab.wire.Channel;
import org.packetlab.wire.Xnotify;

/** One stored publication: what was offered, on which connection, and its notifications. Guarded by the store. */
final class ActivePublication {
    final io.netty.channel.Channel connection;
    final PublicationCheck.Offer offer;
    final PublicationInfo info;
    /** One notification per channel it is delivered on, shared by every subscriber of that channel. */
    private final Map<Channel, Xnotify> notifications = new HashMap<>();
    ScheduledFuture<?> expiry;

    ActivePublication(io.netty.channel.Channel connection, PublicationCheck.Offer offer, PublicationInfo info) {
        this.connection = connection;
        this.offer = offer;
        this.info = info;
    }

    /** Whether it is still to be delivered at pktlab time {@code now} (spec/broker.md §9). */
    boolean activeAt(long now) {
        return Long.compareUnsigned(now, offer.end()) < 0;
    }

    /** The channel a subscriber to {@code channels} is notified on: the first publication channel it holds (§7.2), or null. */
    Channel channelFor(java.util.Set<Channel> channels) {
        for (Channel c : offer.channels()) {
            if (channels.contains(c)) {
                return c;
            }
        }
        return null;
    }

    Xnotify notificationOn(Channel channel) {
        return notifications.computeIfAbsent(channel, c -> Xnotify.of(c, offer.xdescr()));
    }

    /** Whether {@code other} carries the same channels and descriptor (a repeated xpub, spec/broker.md §5.2). */
    boolean sameAs(PublicationCheck.Offer other) {
        return offer.channels().equals(other.channels()) && offer.xdescr().equals(other.xdescr());
    }
}
