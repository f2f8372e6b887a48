package org.packetlab.broker;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;

/** One live subscription: its connection, interest and count of notifications not yet written to the socket. */
final class ActiveSubscription {
    final io.netty.channel.Channel connection;
    final Set<Channel> channels;
    final NameValues dattr;
    final SubscriptionInfo info;
    /** Notifications queued or being written; beyond the broker's cap the subscriber is dropped (spec/broker.md §7.3). */
    final AtomicInteger pending = new AtomicInteger();
    /** Set once the store has dropped it for a full queue; guarded by the store's lock. */
    boolean dropped;

    ActiveSubscription(io.netty.channel.Channel connection, SubscriptionCheck.Interest interest, SubscriptionInfo info) {
        this.connection = connection;
        this.channels = Set.copyOf(interest.channels());
        this.dattr = interest.dattr();
        this.info = info;
    }
}
