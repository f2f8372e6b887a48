package org.packetlab.mlet;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.packetlab.wire.Family;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.NstatCode;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;

/** A TCP socket on the endpoint, read by the mlet thread and fed by the session's event loop. */
final class RealTcpSocket extends RemoteSocket implements TcpSocket {

    private final InetSocketAddress remote;
    private volatile boolean connected;
    // what the reader has consumed so far; later reads repeat it
    private volatile Instant peerClosedAt;
    private volatile SocketState failedState;

    RealTcpSocket(RealEndpointSession session, int sktid, InetSocketAddress remote, long limit) {
        super(session, sktid, Family.of(remote.getAddress()), Proto.TCP, limit);
        this.remote = remote;
    }

    @Override
    public int sktid() {
        return sktid;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    /** An {@code nstat} for this socket (event loop): "established" is a state change, the rest are read in order. */
    void onStatus(Nstat n) {
        if (n.isEstablished()) {
            connected = true;
            wake();
        } else {
            deliver(n);
        }
    }

    @Override
    public void awaitConnected() throws IOException {
        awaitConnected(session.timeout());
    }

    @Override
    public void awaitConnected(Duration timeout) throws IOException {
        EndpointSessions.checkTimeout(timeout);
        checkNotClosed();
        throwIfFailed();
        await(timeout, "connection to " + remote, false);
        throwIfFailed();
    }

    @Override
    boolean ready() {
        return connected || failedState != null;
    }

    @Override
    boolean needsPoll() {
        return !connected && failedState == null && !isClosed();
    }

    @Override
    void pollState() throws IOException {
        SocketState state = session.socketState(sktid);
        switch (state) {
            case OPENING -> { }
            // connected without an nstat: the rare "connect completed at once" case (spec §8.2)
            case OPEN, EOF, WFIN, END -> connected = true;
            default -> {
                failedState = state;
                throwIfFailed();
            }
        }
    }

    @Override
    public Sent send(byte[] data) throws IOException {
        return send(data, SendOptions.defaults());
    }

    @Override
    public Sent send(byte[] data, SendOptions options) throws IOException {
        checkNotClosed();
        byte[] copy = data.clone();
        return session.send(this, options, tag -> Nsend.tcp(sktid, family, options.time(), tag, copy));
    }

    @Override
    public Received receive() throws IOException {
        return receive(session.timeout());
    }

    @Override
    public Received receive(Duration timeout) throws IOException {
        Received r = next(timeout);
        if (r == null) {
            throw new EOFException("the peer " + remote + " closed its side of sktid " + sktid);
        }
        return r;
    }

    @Override
    public ReceivedStream readUntilClose() throws IOException {
        return readUntilClose(session.timeout());
    }

    @Override
    public ReceivedStream readUntilClose(Duration idleTimeout) throws IOException {
        List<Received> chunks = new ArrayList<>();
        for (Received r; (r = next(idleTimeout)) != null; ) {
            chunks.add(r);
        }
        return new ReceivedStream(chunks, peerClosedAt);
    }

    /** The next chunk, or null once the peer has closed. */
    private Received next(Duration timeout) throws IOException {
        EndpointSessions.checkTimeout(timeout);
        checkNotClosed();
        if (peerClosedAt != null) {
            return null;
        }
        throwIfFailed();
        while (true) {
            Notification n = take(timeout, "data from " + remote);
            switch (n) {
                case Ndata d -> {
                    return new Received(d.data(), PktlabTime.toInstant(d.time()));
                }
                case Nstat s when s.code() == NstatCode.PEERCLOSED.code() -> {
                    peerClosedAt = PktlabTime.toInstant(s.time());
                    return null;
                }
                case Nstat s -> {
                    failedState = stateOf(s);
                    throwIfFailed();
                }
                case Nblock b -> throw new IOException("an endpoint monitor blocked data received on sktid " + sktid
                        + " (monitor error " + b.monerrid() + "); the stream has a gap");
                default -> throw new IllegalStateException("unexpected " + n + " queued for sktid " + sktid);
            }
        }
    }

    /** The state an error {@code nstat} leaves the socket in; the code UNKNOWN stands for several, so vmem tells. */
    private SocketState stateOf(Nstat s) throws IOException {
        if (s.code() == NstatCode.RESET.code()) {
            return SocketState.RESET;
        }
        if (s.code() == NstatCode.TIMEOUT.code()) {
            return SocketState.TIMEDOUT;
        }
        SocketState state = session.socketState(sktid);
        return state.isError() ? state : SocketState.UNKFAULT;
    }

    private void throwIfFailed() throws SocketFailedException {
        SocketState s = failedState;
        if (s != null) {
            throw new SocketFailedException("TCP connection of sktid " + sktid + " to " + remote + " failed on the endpoint: " + s,
                    sktid, s);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        checkNotClosed();
        session.expectOk(session.call(Nctl.fin(sktid, family, 0)), () -> "FIN on sktid " + sktid);
    }

    @Override
    public void close() throws IOException {
        session.close(this);
    }

    @Override
    public String toString() {
        return "TcpSocket[sktid=" + sktid + ", remote=" + remote + (isClosed() ? ", closed" : "") + "]";
    }
}
