package org.packetlab.endpoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMaxBytesRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import org.packetlab.wire.Family;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.NstatCode;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.WireCodec;

/**
 * A TCP connection opened by {@code nopen} (spec/agents.md §C.8.1). Reading follows the receive
 * budget exactly: auto-read is off, and each read asks the channel for at most
 * min(budget, 65536) bytes per chunk and the budget in total, so an exhausted budget leaves the
 * data in the kernel and TCP flow control slows the peer down.
 */
final class TcpSocket extends MeasurementSocket {
    private final DefaultMaxBytesRecvByteBufAllocator reads = new DefaultMaxBytesRecvByteBufAllocator(NDATA_MAX, NDATA_MAX);
    /** The reads above, each leaving room for the ndata header in front of the data: a chunk leaves uncopied. */
    private final RecvByteBufAllocator readsWithHeadroom = () -> new RecvByteBufAllocator.DelegatingHandle(reads.newHandle()) {
        @Override
        public ByteBuf allocate(ByteBufAllocator alloc) {
            int room = WireCodec.TCP_NDATA_HEADROOM;
            return alloc.ioBuffer(room + guess()).setIndex(room, room);
        }
    };

    private TcpSocket(Session session, Nopen n) {
        super(session, n.sktid(), n.family(), Proto.TCP, n.rbufsz(), n.laddr(), n.lport());
        System.arraycopy(n.raddr(), 0, raddr, 0, raddr.length);
        rport = n.rport();
    }

    /**
     * Binds and starts connecting (§C.8.1). The result is known at once: binding and registering
     * run synchronously on the session's event loop; the connect completes later (or at once).
     */
    static Opened open(Session session, Nopen n) {
        if (n.rport() == 0) {
            return Opened.refused(Status.ESKTNOADDR); // the reference reports an unconnected OPEN socket here
        }
        if (!session.limits().allowsDestination(Addresses.of(n.raddr()))) {
            return Opened.refused(Status.ESKTOPNDENY);
        }
        TcpSocket s = new TcpSocket(session, n);
        NioSocketChannel ch = new NioSocketChannel(SelectorProvider.provider(),
                n.family() == Family.IPV4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
        s.channel = ch;
        ch.config().setAutoRead(false);
        ch.config().setRecvByteBufAllocator(s.readsWithHeadroom);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, session.settings().tcpConnectTimeoutMillis());
        ch.pipeline().addLast("socket", s.new Handler());
        Status registered = session.register(ch);
        if (registered != Status.SUCCESS) {
            return Opened.refused(registered);
        }
        ChannelFuture bind = ch.bind(new InetSocketAddress(Addresses.of(n.laddr()), n.lport()));
        if (!bind.isDone() || !bind.isSuccess()) {
            ch.close();
            return Opened.refused(bindFailure(bind.cause(), Status.ETCPNOPORT));
        }
        s.lport = ((InetSocketAddress) ch.localAddress()).getPort();
        ChannelFuture connect = ch.connect(new InetSocketAddress(Addresses.of(n.raddr()), n.rport()));
        if (connect.isDone()) {
            if (!connect.isSuccess()) {
                ch.close();
                return Opened.refused(Status.EUNKFAULT);
            }
            s.state = SocketState.OPEN;
            return new Opened(Status.SUCCESS, s, s::established);
        }
        s.state = SocketState.OPENING;
        connect.addListener(f -> {
            if (f.isSuccess()) {
                s.established();
            } else {
                s.connectFailed(f.cause());
            }
        });
        return new Opened(Status.SUCCESS, s, null);
    }

    /** The status a failed bind maps to: address not available, port in use, or other. */
    static Status bindFailure(Throwable cause, Status inUse) {
        if (cause == null) {
            return Status.EUNKFAULT;
        }
        String m = String.valueOf(cause.getMessage());
        if (m.contains("assign requested address") || m.contains("not available")) {
            return Status.ESKTNOADDR;
        }
        if (cause instanceof BindException || m.contains("in use")) {
            return inUse;
        }
        return Status.EUNKFAULT;
    }

    /** The connection is up: OPEN, keepalive on, {@code nstat} established, reading and sending start. */
    private void established() {
        if (closed) {
            return;
        }
        state = SocketState.OPEN;
        channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        // the channel caches the address it was bound to (often the wildcard); ask the socket itself
        InetSocketAddress local = (InetSocketAddress) channel.unsafe().localAddress();
        System.arraycopy(Addresses.bytes(local.getAddress(), family), 0, laddr, 0, laddr.length);
        lport = local.getPort();
        notify(Nstat.established(sktid, session.now(), new InetSocketAddress(Addresses.of(raddr), rport)));
        receiveBudgetChanged();
        pump();
    }

    /** The connect failed: REFUSED/TIMEDOUT/UNREACH/UNKFAULT without a notification (§C.8.1; controllers read the state). */
    private void connectFailed(Throwable cause) {
        if (closed) {
            return;
        }
        state = errorState(cause);
        session.log().debug("socket {}: connect failed: {}", sktid, describe(cause));
        drainSends();
        channel.close();
    }

    @Override
    void receiveBudgetChanged() {
        if (closed || !channel.isActive() || !(state == SocketState.OPEN || state == SocketState.WFIN)) {
            return;
        }
        long budget = receiveBudget();
        if (budget <= 0) {
            return;
        }
        int total = (int) Math.min(budget, Integer.MAX_VALUE);
        reads.maxBytesPerReadPair(total, Math.min(total, NDATA_MAX));
        channel.read();
    }

    @Override
    Status checkDestination(Nsend n) {
        return Status.SUCCESS;
    }

    @Override
    ChannelFuture transmit(ByteBuf data, QueuedSend s) {
        return channel.writeAndFlush(data);
    }

    @Override
    void sendFailed(QueuedSend s, Throwable cause) {
        fail(cause, true, s.tag());
    }

    @Override
    void shutdownOutput() {
        ((SocketChannel) channel).shutdownOutput();
    }

    private void peerClosed() {
        if (closed || state.isError()) {
            return;
        }
        state = state == SocketState.WFIN ? SocketState.END : SocketState.EOF;
        notify(Nstat.of(sktid, family, proto, session.now(), NstatCode.PEERCLOSED));
    }

    /** Turns the channel's events into socket events. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                int n = buf.readableBytes();
                if (closed || n == 0) {
                    return;
                }
                long time = session.now();
                if (!session.limits().takeReceive(n)) {
                    dropped(n, 1);
                    return;
                }
                deliverStream(buf, time);
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            receiveBudgetChanged();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                peerClosed();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause, false, 0);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed && !state.isError() && state != SocketState.END) {
                fail(new java.nio.channels.ClosedChannelException(), false, 0);
            }
        }
    }
}
