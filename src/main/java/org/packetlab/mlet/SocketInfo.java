package org.packetlab.mlet;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.packetlab.wire.Family;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;

/**
 * What the endpoint reports about one of its sockets (vmem {@code SKTINFO}, spec/wire-protocol.md §10.3).
 *
 * @param sktid            the socket id
 * @param state            the socket's state ({@code FREE} when not in use, negative states after a failure)
 * @param family           the address family; null when {@code FREE}
 * @param proto            the transport; null when {@code FREE}
 * @param local            the local address and port; null when {@code FREE}
 * @param remote           the remote address and port of a TCP connection; null otherwise
 * @param rbufsz           the receive buffer budget in bytes
 * @param rbufused         received bytes buffered on the endpoint
 * @param droppedBytes     received bytes dropped for lack of buffer (saturating)
 * @param droppedPackets   received packets dropped for lack of buffer (saturating)
 * @param nsendError       the last send error ({@link org.packetlab.wire.NsendError} values for TCP and UDP)
 * @param nsendErrorTag    the tag of the send that failed
 * @param notificationMask the notification mask ({@link org.packetlab.wire.NotificationMask} bits)
 */
public record SocketInfo(int sktid, SocketState state, Family family, Proto proto, InetSocketAddress local,
        InetSocketAddress remote, long rbufsz, long rbufused, long droppedBytes, long droppedPackets, int nsendError,
        int nsendErrorTag, int notificationMask) {

    public SocketInfo {
        Objects.requireNonNull(state, "state");
        if (state != SocketState.FREE && (family == null || proto == null || local == null)) {
            throw new IllegalArgumentException("a socket in use has a family, a protocol and a local address");
        }
    }

    /** Whether the socket id is in use (any state but {@code FREE}). */
    public boolean inUse() {
        return state != SocketState.FREE;
    }
}
