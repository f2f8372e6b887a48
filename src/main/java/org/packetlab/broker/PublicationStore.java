package org.packetlab.broker;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xnotify;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's publications and subscriptions, and the rules that connect them (spec/broker.md
 * §7, §9): matching, catch-up after a subscription's {@code result}, live notification, at most
 * one notification per (subscription, publication), acceptance order per subscriber, expiry and
 * withdrawal. Shared by every connection; every method holds the store's lock.
 *
 * <h2>Ordering</h2>
 * Catch-up notifications are written on the subscriber's own event loop while it registers, right
 * after its {@code result}; every later notification is handed to the subscriber's event loop as a
 * task, enqueued under the lock. One lock order for registration and publication, and one FIFO
 * task queue per loop, give every subscriber its notifications in acceptance order, exactly once.
 */
final class PublicationStore {
    private static final Logger log = LoggerFactory.getLogger(PublicationStore.class);
    /** Expiry timers are re-armed at least this often, so a far {@code pub_end} never overflows a delay. */
    private static final long MAX_TIMER_NANOS = TimeUnit.DAYS.toNanos(1);

    private final BrokerSettings settings;
    /** In acceptance order. */
    private final Map<Long, ActivePublication> publications = new LinkedHashMap<>();
    private final Map<io.netty.channel.Channel, List<ActivePublication>> byPublisher = new HashMap<>();
    private final Map<Channel, Set<ActiveSubscription>> byChannel = new HashMap<>();
    private final Map<io.netty.channel.Channel, ActiveSubscription> subscriptions = new LinkedHashMap<>();
    private long nextPublicationId = 1;
    private long nextSubscriptionId = 1;

    PublicationStore(BrokerSettings settings) {
        this.settings = settings;
    }

    /**
     * Stores an accepted offer made on {@code connection} and notifies the matching subscribers;
     * called on the publisher's event loop. A repeat of an offer of the same connection, or one
     * already past its end, is accepted without being stored.
     *
     * @return the refusal when the publication cap is reached
     */
    synchronized Optional<Refusal> publish(io.netty.channel.Channel connection, KeyId agentKey, PublicationCheck.Offer offer) {
        List<ActivePublication> own = byPublisher.getOrDefault(connection, List.of());
        if (own.stream().anyMatch(p -> p.sameAs(offer))) {
            log.debug("{}: repeated xpub accepted without a new publication", connection.remoteAddress());
            return Optional.empty();
        }
        if (publications.size() >= settings.maxPublications()) {
            return Optional.of(Refusal.of(Status.ENORES, "the broker holds its maximum of " + settings.maxPublications() + " publications"));
        }
        long id = nextPublicationId++;
        PublicationInfo info = new PublicationInfo(id, (InetSocketAddress) connection.remoteAddress(), agentKey,
                offer.channels(), offer.xdescr(), offer.endIfAny());
        ActivePublication p = new ActivePublication(connection, offer, info);
        long now = settings.now();
        if (!p.activeAt(now)) {
            log.info("{}: publication #{} accepted already past its end {}, never delivered", connection.remoteAddress(), id,
                    PktlabTime.toString(offer.end()));
            settings.listener().expired(info);
            return Optional.empty();
        }
        publications.put(id, p);
        byPublisher.computeIfAbsent(connection, c -> new ArrayList<>()).add(p);
        armExpiry(p, now);
        log.info("{}: publication #{} on {}: {}", connection.remoteAddress(), id, offer.channels(), abbreviated(offer.xdescr()));
        settings.listener().published(info);

        Set<ActiveSubscription> seen = new LinkedHashSet<>();
        for (Channel c : offer.channels()) {
            for (ActiveSubscription s : byChannel.getOrDefault(c, Set.of())) {
                if (seen.add(s) && NameValues.matches(offer.xdescr(), s.dattr)) {
                    queue(s, p, p.notificationOn(c));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Registers a subscription on {@code connection}, writes its {@code result(0)} and then the
     * catch-up notifications, oldest first; called on the subscriber's event loop.
     *
     * @return the refusal when the subscriber cap is reached (nothing written then)
     */
    synchronized Optional<Refusal> subscribe(io.netty.channel.Channel connection, KeyId agentKey, SubscriptionCheck.Interest interest) {
        if (subscriptions.size() >= settings.maxSubscribers()) {
            return Optional.of(Refusal.of(Status.ENORES, "the broker holds its maximum of " + settings.maxSubscribers() + " subscriptions"));
        }
        SubscriptionInfo info = new SubscriptionInfo(nextSubscriptionId++, (InetSocketAddress) connection.remoteAddress(), agentKey,
                List.copyOf(interest.channels()), interest.dattr());
        ActiveSubscription s = new ActiveSubscription(connection, interest, info);
        subscriptions.put(connection, s);
        for (Channel c : interest.channels()) {
            byChannel.computeIfAbsent(c, k -> new LinkedHashSet<>()).add(s);
        }
        connection.write(Result.ok());
        long now = settings.now();
        for (Iterator<ActivePublication> it = publications.values().iterator(); it.hasNext() && !s.dropped; ) {
            ActivePublication p = it.next();
            if (!p.activeAt(now)) {
                it.remove();
                end(p);
                continue;
            }
            Channel c = p.channelFor(s.channels);
            if (c != null && NameValues.matches(p.offer.xdescr(), s.dattr) && admit(s)) {
                write(s, p.notificationOn(c));
                settings.listener().notified(info, p.info);
            }
        }
        connection.flush();
        if (!s.dropped) {
            log.debug("{}: subscription #{} to {} with dattr \"{}\"", connection.remoteAddress(), info.id(), info.channels(), interest.dattr());
            settings.listener().subscribed(info);
        }
        return Optional.empty();
    }

    /** Ends what {@code connection} held: its subscription, or its publications (withdrawn). Idempotent. */
    synchronized void connectionClosed(io.netty.channel.Channel connection) {
        unsubscribe(connection);
        List<ActivePublication> own = byPublisher.remove(connection);
        if (own != null) {
            for (ActivePublication p : own) {
                if (publications.remove(p.info.id()) != null) {
                    cancelExpiry(p);
                    log.info("{}: publication #{} withdrawn (publisher connection closed)", connection.remoteAddress(), p.info.id());
                    settings.listener().withdrawn(p.info);
                }
            }
        }
    }

    synchronized List<PublicationInfo> publications() {
        return publications.values().stream().map(p -> p.info).toList();
    }

    synchronized List<SubscriptionInfo> subscriptions() {
        return subscriptions.values().stream().map(s -> s.info).toList();
    }

    /** A descriptor for a log line: at most 200 characters. */
    private static String abbreviated(NameValues xdescr) {
        String s = xdescr.toString();
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " bytes)";
    }

    private void unsubscribe(io.netty.channel.Channel connection) {
        ActiveSubscription s = subscriptions.remove(connection);
        if (s == null) {
            return;
        }
        for (Channel c : s.channels) {
            Set<ActiveSubscription> set = byChannel.get(c);
            if (set != null && set.remove(s) && set.isEmpty()) {
                byChannel.remove(c);
            }
        }
        log.debug("{}: subscription #{} ended", connection.remoteAddress(), s.info.id());
        settings.listener().unsubscribed(s.info);
    }

    /** Hands one notification to the subscriber's event loop, behind everything queued before it. */
    private void queue(ActiveSubscription s, ActivePublication p, Xnotify n) {
        if (admit(s)) {
            s.connection.eventLoop().execute(() -> {
                write(s, n);
                s.connection.flush();
            });
            settings.listener().notified(s.info, p.info);
        }
    }

    /**
     * Counts one more pending notification, or drops the subscriber when its queue is full. The
     * catch-up counts too: a subscriber matching more active publications than the cap is dropped
     * as soon as it subscribes (raise {@link Broker.Builder#maxPendingNotifications} for such loads).
     */
    private boolean admit(ActiveSubscription s) {
        if (s.dropped) {
            return false;
        }
        if (s.pending.incrementAndGet() <= settings.maxPendingNotifications()) {
            return true;
        }
        s.pending.decrementAndGet();
        s.dropped = true;
        String reason = "notification queue full: " + settings.maxPendingNotifications()
                + " pending (the subscriber does not read, or its catch-up is larger than the cap)";
        log.info("{}: closing: {}", s.connection.remoteAddress(), reason);
        settings.listener().dropped(s.connection.remoteAddress(), reason);
        unsubscribe(s.connection);
        // what was admitted (and a subscription's result) still goes out before the close
        s.connection.flush();
        s.connection.close();
        return false;
    }

    private static void write(ActiveSubscription s, Xnotify n) {
        s.connection.write(n).addListener(f -> s.pending.decrementAndGet());
    }

    private void armExpiry(ActivePublication p, long now) {
        if (p.offer.end() == PktlabTime.MAX) {
            return;
        }
        long delay = p.offer.end() - now;
        long wait = Long.compareUnsigned(delay, MAX_TIMER_NANOS) > 0 ? MAX_TIMER_NANOS : delay;
        p.expiry = p.connection.eventLoop().schedule(() -> expireIfDue(p), wait, TimeUnit.NANOSECONDS);
    }

    private synchronized void expireIfDue(ActivePublication p) {
        if (!publications.containsKey(p.info.id())) {
            return;
        }
        long now = settings.now();
        if (p.activeAt(now)) {
            armExpiry(p, now);
            return;
        }
        publications.remove(p.info.id());
        end(p);
    }

    /** Forgets an expired publication (already removed from {@link #publications}). */
    private void end(ActivePublication p) {
        cancelExpiry(p);
        List<ActivePublication> own = byPublisher.get(p.connection);
        if (own != null) {
            own.remove(p);
        }
        log.info("{}: publication #{} expired", p.connection.remoteAddress(), p.info.id());
        settings.listener().expired(p.info);
    }

    private static void cancelExpiry(ActivePublication p) {
        if (p.expiry != null) {
            p.expiry.cancel(false);
        }
    }
}
