package org.packetlab.endpoint;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import org.packetlab.wire.Family;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.NsendError;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Status;

/**
 * A UDP socket opened by {@code nopen}: bound at once and OPEN, unconnected; every {@code nsend}
 * names its destination (spec/agents.md §C.8.2). IPv4 and IPv6 both work (the reference aborts on
 * IPv6 datagrams). A datagram larger than the receive budget is truncated to it, the missing bytes
 * counted as dropped; with no budget it is dropped whole.
 */
final class UdpSocket extends MeasurementSocket {
    /** Receive buffer per read: any datagram fits, so the OS never truncates silently. */
    private static final int MAX_DATAGRAM = 65536;

    private UdpSocket(Session session, Nopen n) {
        super(session, n.sktid(), n.family(), Proto.UDP, n.rbufsz(), n.laddr(), n.lport());
    }

    /** Binds (synchronously, on the session's event loop) and returns the OPEN socket or the bind failure. */
    static Opened open(Session session, Nopen n) {
        UdpSocket s = new UdpSocket(session, n);
        NioDatagramChannel ch = new NioDatagramChannel(n.family() == Family.IPV4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
        s.channel = ch;
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        ch.pipeline().addLast("socket", s.new Handler());
        Status registered = session.register(ch);
        if (registered != Status.SUCCESS) {
            return Opened.refused(registered);
        }
        ChannelFuture bind = ch.bind(new InetSocketAddress(Addresses.of(n.laddr()), n.lport()));
        if (!bind.isDone() || !bind.isSuccess()) {
            ch.close();
            return Opened.refused(TcpSocket.bindFailure(bind.cause(), Status.EUDPNOPORT));
        }
        s.lport = ch.localAddress().getPort();
        return new Opened(Status.SUCCESS, s, null);
    }

    @Override
    void receiveBudgetChanged() {
        // datagrams are read all the time: without budget they are dropped and counted
    }

    @Override
    Status checkDestination(Nsend n) {
        InetSocketAddress to = n.destination().orElseThrow();
        return session.limits().allowsDestination(to.getAddress()) ? Status.SUCCESS : Status.ESKTPKTDENY;
    }

    @Override
    ChannelFuture transmit(ByteBuf data, QueuedSend s) {
        return channel.writeAndFlush(new DatagramPacket(data, s.destination()));
    }

    /** A datagram that could not be sent is reported for itself; the socket stays usable (§C.8.2). */
    @Override
    void sendFailed(QueuedSend s, Throwable cause) {
        NsendError e = switch (errorState(cause)) {
            case UNREACH -> NsendError.UNREACH;
            case TIMEDOUT -> NsendError.TIMEDOUT;
            default -> NsendError.UNKFAULT;
        };
        recordSendError(e, s.tag());
        session.log().debug("socket {}: datagram to {} not sent: {}", sktid, s.destination(), describe(cause));
        if (s.tag() != 0) {
            notify(Ntag.of(sktid, s.tag(), session.now(), Status.EPKTNOTSENT));
        }
    }

    @Override
    void shutdownOutput() {
        throw new IllegalStateException("a UDP socket has no FIN");
    }

    /** Turns received datagrams into {@code ndata}; receive errors are ignored (§C.8.2). */
    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (closed) {
                return;
            }
            long time = session.now();
            ByteBuf content = p.content();
            int n = content.readableBytes();
            long budget = receiveBudget();
            if (budget <= 0) {
                dropped(n, 1);
                return;
            }
            int keep = (int) Math.min(n, budget);
            if (!session.limits().takeReceive(keep)) {
                dropped(n, 1);
                return;
            }
            if (keep < n) {
                dropped(n - keep, 0);
            }
            byte[] data = new byte[keep];
            content.getBytes(content.readerIndex(), data);
            InetSocketAddress from = p.sender();
            byte[] source = Addresses.bytes(from.getAddress(), family);
            deliver(new Ndata(sktid, family.code(), Proto.UDP, time, source, from.getPort(), data), keep, keep + source.length + 2);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            session.log().debug("socket {}: receive error ignored: {}", sktid, describe(cause));
        }
    }
}
