package org.packetlab.mlet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.wire.Family;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;

/** A UDP socket on the endpoint, read by the mlet thread and fed by the session's event loop. */
final class RealUdpSocket extends RemoteSocket implements UdpSocket {

    private final InetSocketAddress destination;

    RealUdpSocket(RealEndpointSession session, int sktid, Family family, InetSocketAddress destination, long limit) {
        super(session, sktid, family, Proto.UDP, limit);
        this.destination = destination;
    }

    @Override
    public int sktid() {
        return sktid;
    }

    @Override
    public Optional<InetSocketAddress> destination() {
        return Optional.ofNullable(destination);
    }

    @Override
    public Sent send(byte[] data) throws IOException {
        if (destination == null) {
            throw new IllegalStateException("sktid " + sktid + " was opened without a destination: use send(destination, data)");
        }
        return send(destination, data, SendOptions.defaults());
    }

    @Override
    public Sent send(InetSocketAddress destination, byte[] data) throws IOException {
        return send(destination, data, SendOptions.defaults());
    }

    @Override
    public Sent send(InetSocketAddress destination, byte[] data, SendOptions options) throws IOException {
        Objects.requireNonNull(destination, "destination");
        if (destination.isUnresolved()) {
            throw new IllegalArgumentException("destination " + destination + " is unresolved");
        }
        if (Family.of(destination.getAddress()) != family) {
            throw new IllegalArgumentException("sktid " + sktid + " is " + family + ", destination " + destination + " is not");
        }
        checkNotClosed();
        byte[] copy = data.clone();
        return session.send(this, options, tag -> Nsend.udp(sktid, options.time(), tag, destination, copy));
    }

    @Override
    public Datagram receive() throws IOException {
        return receive(session.timeout());
    }

    @Override
    public Datagram receive(Duration timeout) throws IOException {
        EndpointSessions.checkTimeout(timeout);
        checkNotClosed();
        Notification n = take(timeout, "datagram");
        return switch (n) {
            case Ndata d -> new Datagram(d.data(), d.source().orElseThrow(), PktlabTime.toInstant(d.time()));
            case Nblock b -> throw new IOException("an endpoint monitor blocked a datagram received on sktid " + sktid
                    + " (monitor error " + b.monerrid() + ")");
            case Nstat s -> throw new IOException("the endpoint reports status " + s.code() + " for UDP sktid " + sktid);
            default -> throw new IllegalStateException("unexpected " + n + " queued for sktid " + sktid);
        };
    }

    @Override
    public void close() throws IOException {
        session.close(this);
    }

    @Override
    public String toString() {
        return "UdpSocket[sktid=" + sktid + (destination == null ? "" : ", destination=" + destination)
                + (isClosed() ? ", closed" : "") + "]";
    }
}
