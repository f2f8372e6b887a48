package org.packetlab.mlet;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;

/**
 * A send the endpoint accepted: its tag and, once the endpoint reports it (an {@code ntag}), the
 * endpoint time at which the data actually left.
 *
 * <pre>{@code
 * Sent sent = socket.send(data);
 * Instant left = sent.sentAt();   // blocks until the endpoint reports the send
 * }</pre>
 */
public final class Sent {

    private final RealEndpointSession session;
    private final int sktid;
    private final int tag;
    private final CompletableFuture<Ntag> ntag;

    Sent(RealEndpointSession session, int sktid, int tag, CompletableFuture<Ntag> ntag) {
        this.session = session;
        this.sktid = sktid;
        this.tag = tag;
        this.ntag = ntag;
    }

    /** The tag the send carries (1-65535), or 0 when it was sent {@link SendOptions#untagged() untagged}. */
    public int tag() {
        return tag;
    }

    /** The endpoint time the data was sent, waiting up to the session timeout for the endpoint to report it. */
    public Instant sentAt() throws IOException {
        return sentAt(session.timeout());
    }

    /**
     * The endpoint time the data was sent, waiting up to {@code timeout} for the endpoint to report it.
     *
     * @throws PacketLabException when the endpoint gave up on the send (status {@code EPKTNOTSENT}, for
     *         instance after a socket error or a FIN)
     * @throws IllegalStateException when the send was untagged (the endpoint never reports those)
     */
    public Instant sentAt(Duration timeout) throws IOException {
        if (ntag == null) {
            throw new IllegalStateException("the send on sktid " + sktid + " was untagged, so the endpoint never reports it");
        }
        Ntag n = session.await(ntag, timeout, () -> "ntag " + tag + " for sktid " + sktid);
        if (n.errid() != 0) {
            Result r = Result.of(n.errid());
            throw new PacketLabException("the endpoint did not complete the send tagged " + tag + " on sktid " + sktid
                    + ": " + Status.nameOf(n.errid()), r);
        }
        return PktlabTime.toInstant(n.time());
    }

    @Override
    public String toString() {
        return "Sent[sktid=" + sktid + ", tag=" + tag + (ntag != null && ntag.isDone() && !ntag.isCompletedExceptionally()
                ? ", at=" + PktlabTime.toInstant(ntag.join().time()) : "") + "]";
    }
}
