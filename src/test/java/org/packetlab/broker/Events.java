package org.packetlab.broker;

import java.net.SocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Status;

/** A broker listener that queues every event, for tests to await. */
final class Events implements BrokerListener {
    record Refused(SocketAddress peer, Status status, String reason) {}

    record Dropped(SocketAddress peer, String reason) {}

    final LinkedBlockingQueue<PublicationInfo> published = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<PublicationInfo> withdrawn = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<PublicationInfo> expired = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<SubscriptionInfo> subscribed = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<SubscriptionInfo> unsubscribed = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Refused> refused = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Dropped> dropped = new LinkedBlockingQueue<>();

    @Override
    public void published(PublicationInfo p) {
        published.add(p);
    }

    @Override
    public void withdrawn(PublicationInfo p) {
        withdrawn.add(p);
    }

    @Override
    public void expired(PublicationInfo p) {
        expired.add(p);
    }

    @Override
    public void subscribed(SubscriptionInfo s) {
        subscribed.add(s);
    }

    @Override
    public void unsubscribed(SubscriptionInfo s) {
        unsubscribed.add(s);
    }

    @Override
    public void refused(SocketAddress peer, Status status, String reason) {
        refused.add(new Refused(peer, status, reason));
    }

    @Override
    public void dropped(SocketAddress peer, String reason) {
        dropped.add(new Dropped(peer, reason));
    }

    static <T> T next(LinkedBlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no event within " + RawClient.WAIT_SECONDS + " s");
        }
        return t;
    }
}
