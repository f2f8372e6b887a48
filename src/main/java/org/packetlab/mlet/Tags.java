package org.packetlab.mlet;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.packetlab.wire.Ntag;

/**
 * The send tags of one session that still await their {@code ntag}: chooses fresh tags and hands
 * each arriving {@code ntag} to its waiter. At most 65535 entries (one per tag).
 */
final class Tags {

    private record Waiter(int sktid, CompletableFuture<Ntag> ntag) {}

    private final Map<Integer, Waiter> waiting = new ConcurrentHashMap<>();
    private int next = 1;

    /** Registers a waiter for {@code tag}, or for a fresh tag when {@code tag} is -1; returns the tag. */
    synchronized int register(int sktid, int tag, CompletableFuture<Ntag> ntag) {
        Waiter w = new Waiter(sktid, ntag);
        if (tag > 0) {
            if (waiting.putIfAbsent(tag, w) != null) {
                throw new IllegalStateException("tag " + tag + " is still awaiting its ntag");
            }
            return tag;
        }
        for (int i = 0; i < 0xFFFF; i++) {
            int t = next;
            next = next == 0xFFFF ? 1 : next + 1;
            if (waiting.putIfAbsent(t, w) == null) {
                return t;
            }
        }
        throw new IllegalStateException("all 65535 tags are awaiting their ntag");
    }

    /** Forgets {@code tag} (its send was refused or its answer lost). */
    void forget(int tag) {
        waiting.remove(tag);
    }

    /** Hands {@code n} to its waiter; false when nobody waits for that tag on that socket. */
    boolean complete(Ntag n) {
        Waiter w = waiting.get(n.tag());
        if (w == null || w.sktid() != n.sktid() || !waiting.remove(n.tag(), w)) {
            return false;
        }
        w.ntag().complete(n);
        return true;
    }

    /** Fails the waiters of socket {@code sktid}: the endpoint reports no sends discarded by {@code nclose}. */
    void failSocket(int sktid, String why) {
        waiting.entrySet().removeIf(e -> {
            if (e.getValue().sktid() != sktid) {
                return false;
            }
            e.getValue().ntag().completeExceptionally(new IOException(why));
            return true;
        });
    }

    /** Fails every waiter; the session has ended. */
    void failAll(Throwable cause) {
        for (Integer tag : waiting.keySet()) {
            Waiter w = waiting.remove(tag);
            if (w != null) {
                w.ntag().completeExceptionally(cause);
            }
        }
    }
}
