package org.packetlab.endpoint;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Family;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Ndrop;
import org.packetlab.wire.Notification;
import org.packetlab.wire.NotificationMask;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.NsendError;
import org.packetlab.wire.NstatCode;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Resumd;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Suspd;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.WireCodec;
import org.packetlab.wire.Xnotify;

/**
 * One open PacketLab socket of a session: its state, addresses, receive budget, drop statistics,
 * send queue and held notifications, and its SKTINFO vmem block (spec/agents.md §C.8-C.10,
 * spec/wire-protocol.md §8, §10.3). Everything runs on the session's event loop, which also serves
 * the socket's Netty channel, so no field needs a lock.
 */
abstract sealed class MeasurementSocket permits TcpSocket, UdpSocket {
    /** Largest data per {@code ndata} (PKTLAB_NDATA_MAX). */
    static final int NDATA_MAX = Ndata.MAX_DATA;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    final Session session;
    final int sktid;
    final Family family;
    final Proto proto;
    SocketState state = SocketState.OPEN;
    final byte[] laddr;
    final byte[] raddr;
    int lport;
    int rport;
    long rbufsz;
    long rbufused;
    private long droppedBytes;
    private long droppedPackets;
    private int nsendErr;
    private int nsendErrTag;
    private int notificationMask;
    private byte[] controlFlags;
    Channel channel;

    private final ArrayDeque<QueuedSend> sends = new ArrayDeque<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private boolean finRequested;
    private boolean finDone;
    private long finTime;
    private int inflight;
    private ScheduledFuture<?> wakeup;
    private long wakeupAt;
    boolean closed;

    /** A send waiting in the queue; {@code cost} is what it holds of BufMax. */
    record QueuedSend(byte[] data, int tag, long time, java.net.InetSocketAddress destination, long cost) {}

    /** A notification held by the mask; {@code onWritten} releases its buffer charge (ndata) or is null. */
    private record Held(Notification notification, int bit, Runnable onWritten) {}

    MeasurementSocket(Session session, int sktid, Family family, Proto proto, long rbufsz, byte[] laddr, int lport) {
        this.session = session;
        this.sktid = sktid;
        this.family = family;
        this.proto = proto;
        this.rbufsz = rbufsz;
        this.laddr = laddr.clone();
        this.lport = lport;
        this.raddr = new byte[family.addressLength()];
    }

    // ---- notifications (§C.10) ----

    /** Emits {@code n} for this socket, or holds it while its type is masked. */
    final void notify(Notification n) {
        notify(n, null);
    }

    /** As {@link #notify(Notification)}, running {@code onWritten} once the message has left or been dropped. */
    final void notify(Notification n, Runnable onWritten) {
        if (closed) {
            if (onWritten != null) {
                onWritten.run();
            }
            return;
        }
        int bit = maskBit(n);
        if ((notificationMask & bit) != 0) {
            held.add(new Held(n, bit, onWritten));
        } else if (onWritten == null) {
            session.writer().send(n);
        } else {
            session.writer().send(n, onWritten);
        }
    }

    /** The mask bit of a notification type; types a socket never emits have none. */
    private static int maskBit(Notification n) {
        return switch (n) {
            case Ntag t -> NotificationMask.NTAG.bit();
            case Nstat s -> NotificationMask.NSTAT.bit();
            case Ndata d -> NotificationMask.NDATA.bit();
            case Ndrop d -> NotificationMask.NDROP.bit();
            case Nblock b -> NotificationMask.NBLOCK.bit();
            case Linfo l -> 0;
            case Suspd s -> 0;
            case Resumd r -> 0;
            case Xnotify x -> 0;
        };
    }

    /**
     * Sets the notification mask; notifications of every type whose bit is cleared leave in their
     * original order (all types, NBLOCK included, unlike the reference which never releases NBLOCK).
     */
    final void setNotificationMask(int mask) {
        int cleared = notificationMask & ~mask;
        notificationMask = mask;
        if (cleared == 0 || held.isEmpty()) {
            return;
        }
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if ((mask & h.bit) == 0) {
                it.remove();
                if (h.onWritten == null) {
                    session.writer().send(h.notification);
                } else {
                    session.writer().send(h.notification, h.onWritten);
                }
            }
        }
    }

    // ---- receiving (§C.9) ----

    /** Payload bytes this socket may still hold as ndata not yet written: min of its rbufsz and BufMax room; 0 = none. */
    final long receiveBudget() {
        long own = rbufsz - rbufused;
        long global = session.budget().room();
        long b = Math.min(own, global);
        return Math.max(b, 0);
    }

    /** Queues received data as {@code ndata}, charging {@code payload} to rbufused and {@code cost} to BufMax until it is written. */
    final void deliver(Ndata n, int payload, int cost) {
        notify(n, charge(payload, cost));
    }

    /**
     * Queues the readable bytes of {@code chunk}, a piece of this TCP socket's stream read at
     * {@code time}, as {@code ndata}, charged as {@link #deliver} does. When the chunk has room for
     * the header in front of it (the socket's reads leave it), the header is written there and the
     * buffer itself leaves ({@link WireCodec#encodeTcpNdataInPlace}); an ndata held by the mask is
     * built as a record (a copy). The caller keeps its reference to {@code chunk}.
     */
    final void deliverStream(ByteBuf chunk, long time) {
        int n = chunk.readableBytes();
        boolean held = (notificationMask & NotificationMask.NDATA.bit()) != 0;
        if (closed || held || chunk.readerIndex() < WireCodec.TCP_NDATA_HEADROOM) {
            deliver(Ndata.tcp(sktid, family, time, chunk), n, n);
            return;
        }
        ByteBuf frame = WireCodec.encodeTcpNdataInPlace(chunk, sktid, family, time).retain();
        session.writer().send(frame, charge(n, n));
    }

    /** Charges {@code payload} to rbufused and {@code cost} to BufMax; returns what gives them back once the ndata is written. */
    private Runnable charge(int payload, int cost) {
        rbufused += payload;
        session.budget().charge(cost);
        return () -> {
            rbufused -= payload;
            session.budget().release(cost);
            if (!closed) {
                receiveBudgetChanged();
            }
        };
    }

    /** Counts data dropped for lack of budget or receive quota (saturating u32 counters). */
    final void dropped(long bytes, long packets) {
        droppedBytes = Math.min(U32_MAX, droppedBytes + bytes);
        droppedPackets = Math.min(U32_MAX, droppedPackets + packets);
    }

    /** The receive budget may have grown (ndata written out, rbufsz raised): resume reading where that applies. */
    abstract void receiveBudgetChanged();

    // ---- sending (§C.8.4) ----

    /** Checks and queues an {@code nsend} (§C.8.4 order after the transport-specific destination check). */
    final Status queue(Nsend n) {
        if (!canSend()) {
            return Status.ESKTNOTOPEN;
        }
        if (n.family() != family.code() || n.proto() != proto) {
            return Status.ESKTNOMATCH;
        }
        Status dest = checkDestination(n);
        if (dest != Status.SUCCESS) {
            return dest;
        }
        int len = n.dataLength();
        if (!session.limits().maySend(len)) {
            return Status.ESKTPKTDENY;
        }
        long cost = len + n.raddr().length;
        if (!session.budget().reserve(cost)) {
            return Status.ESYSNOBUFS;
        }
        sends.add(new QueuedSend(n.data(), n.tag(), n.time(), n.destination().orElse(null), cost));
        return Status.SUCCESS;
    }

    /** NSEND is refused in FREE, WFIN, END and the error states (accepted in OPENING, OPEN and EOF). */
    private boolean canSend() {
        return state == SocketState.OPENING || state == SocketState.OPEN || state == SocketState.EOF;
    }

    /** The transport's destination check (UDP: valid_dest); SUCCESS when none applies. */
    abstract Status checkDestination(Nsend n);

    /** Writes one send to the channel. */
    abstract ChannelFuture transmit(ByteBuf data, QueuedSend s);

    /** Records a TCP FIN request at {@code time}; the first one wins (§C.8.5). */
    final Status requestFin(long time) {
        if (state.isError()) {
            return Status.ESKTNOTOPEN;
        }
        if (!finRequested) {
            finRequested = true;
            finTime = time;
        }
        return Status.SUCCESS;
    }

    /**
     * Sends what is due: the queue is served strictly in order, its head when {@code now >= time}
     * and the burst rates allow it (head-of-line), then a pending FIN once its time has come and
     * every earlier send has gone.
     */
    final void pump() {
        if (closed || state == SocketState.OPENING || state.isError()) {
            return;
        }
        long now = session.now();
        while (!sends.isEmpty()) {
            QueuedSend head = sends.peek();
            if (finPending() && after(now, finTime) && after(head.time, finTime)) {
                break;
            }
            if (Long.compareUnsigned(head.time, now) > 0) {
                wakeAt(finPending() ? minUnsigned(head.time, finTime) : head.time);
                return;
            }
            if (!session.limits().maySend(head.data.length)) {
                discard(sends.poll(), now);
                continue;
            }
            long sendable = session.limits().sendableAt(now, head.data.length);
            if (Long.compareUnsigned(sendable, now) > 0) {
                wakeAt(finPending() ? minUnsigned(sendable, finTime) : sendable);
                return;
            }
            send(sends.poll(), now);
        }
        if (finPending()) {
            if (!after(now, finTime)) {
                wakeAt(finTime);
            } else if (inflight == 0) {
                executeFin(now);
            }
        }
    }

    private boolean finPending() {
        return finRequested && !finDone;
    }

    /** {@code a >= b} as unsigned pktlab times. */
    private static boolean after(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private void send(QueuedSend s, long now) {
        inflight++;
        session.limits().sent(now, s.data.length);
        transmit(Unpooled.wrappedBuffer(s.data), s).addListener(f -> {
            inflight--;
            session.budget().release(s.cost);
            if (closed) {
                return; // nclose or session end: dropped sends get no ntag (§C.8.6)
            }
            if (f.isSuccess()) {
                if (s.tag != 0) {
                    notify(Ntag.sent(sktid, s.tag, session.now()));
                }
            } else {
                sendFailed(s, f.cause());
            }
            pump();
        });
    }

    /** A send could not be written: the transport decides what it means for the socket. */
    abstract void sendFailed(QueuedSend s, Throwable cause);

    /** Discards one send with NTAG(EPKTNOTSENT) when tagged. */
    private void discard(QueuedSend s, long now) {
        session.budget().release(s.cost);
        if (s.tag != 0) {
            notify(Ntag.of(sktid, s.tag, now, Status.EPKTNOTSENT));
        }
    }

    /** Discards every queued send with NTAG(EPKTNOTSENT) (socket error, FIN). */
    final void drainSends() {
        long now = session.now();
        while (!sends.isEmpty()) {
            discard(sends.poll(), now);
        }
        cancelWakeup();
    }

    private void executeFin(long now) {
        finDone = true;
        drainSends();
        nsendErr = NsendError.WFIN.code();
        state = state == SocketState.EOF ? SocketState.END : SocketState.WFIN;
        shutdownOutput();
    }

    /** Shuts down the sending side of the transport (TCP FIN). */
    abstract void shutdownOutput();

    private void wakeAt(long time) {
        if (wakeup != null && wakeupAt == time) {
            return;
        }
        cancelWakeup();
        long delay = time - session.now();
        // the far future (PktlabTime.MAX = never) needs no timer that could overflow
        if (Long.compareUnsigned(delay, TimeUnit.DAYS.toNanos(365)) > 0) {
            return;
        }
        wakeupAt = time;
        wakeup = channel.eventLoop().schedule(() -> {
            wakeup = null;
            pump();
        }, Math.max(delay, 0), TimeUnit.NANOSECONDS);
    }

    private void cancelWakeup() {
        if (wakeup != null) {
            wakeup.cancel(false);
            wakeup = null;
        }
    }

    /** Records a send error in vmem (NSENDERR and its tag). */
    final void recordSendError(NsendError e, int tag) {
        nsendErr = e.code();
        nsendErrTag = tag;
    }

    // ---- errors ----

    /**
     * The transport failed: the socket enters the matching error state, the controller gets an
     * {@code nstat} (RESET, TIMEOUT or UNKNOWN), queued sends are discarded with EPKTNOTSENT, and the
     * channel is closed; the slot stays taken until {@code nclose} (§C.8.1).
     */
    final void fail(Throwable cause, boolean onSend, int tag) {
        if (closed || state.isError()) {
            return;
        }
        SocketState s = errorState(cause);
        state = s;
        NstatCode code = switch (s) {
            case RESET -> NstatCode.RESET;
            case TIMEDOUT -> NstatCode.TIMEOUT;
            default -> NstatCode.UNKNOWN;
        };
        if (onSend) {
            recordSendError(switch (s) {
                case RESET -> NsendError.RESET;
                case TIMEDOUT -> NsendError.TIMEDOUT;
                case UNREACH -> NsendError.UNREACH;
                default -> NsendError.UNKFAULT;
            }, tag);
            if (tag != 0) {
                notify(Ntag.of(sktid, tag, session.now(), Status.EPKTNOTSENT));
            }
        }
        session.log().debug("socket {}: {} ({})", sktid, s, describe(cause));
        notify(Nstat.of(sktid, family, proto, session.now(), code));
        drainSends();
        channel.close();
    }

    /** The socket state an I/O failure maps to (§C.8.1). */
    static SocketState errorState(Throwable cause) {
        String m = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (cause instanceof NoRouteToHostException || m.contains("unreachable")) {
            return SocketState.UNREACH;
        }
        if (cause instanceof SocketTimeoutException || cause instanceof io.netty.channel.ConnectTimeoutException
                || m.contains("timed out")) {
            return SocketState.TIMEDOUT;
        }
        if (m.contains("reset")) {
            return SocketState.RESET;
        }
        if (cause instanceof ConnectException || m.contains("refused")) {
            return SocketState.REFUSED;
        }
        return SocketState.UNKFAULT;
    }

    static String describe(Throwable t) {
        return t instanceof ClosedChannelException ? "channel closed"
                : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    // ---- closing (§C.8.6) ----

    /**
     * Closes the socket whatever its state: queued sends are dropped without ntags, held
     * notifications are discarded, buffer charges are given back, the channel is closed.
     */
    final void close() {
        if (closed) {
            return;
        }
        closed = true;
        cancelWakeup();
        while (!sends.isEmpty()) {
            session.budget().release(sends.poll().cost);
        }
        while (!held.isEmpty()) {
            Held h = held.poll();
            if (h.onWritten != null) {
                h.onWritten.run();
            }
        }
        if (channel != null) {
            channel.close();
        }
    }

    // ---- vmem (§10.3) ----

    /** The socket's SKTINFO block as the controller reads it. */
    final byte[] block() {
        byte[] b = new byte[Vmem.SKTINFO_BLOCK_SIZE];
        b[Vmem.SKT_FAMILY] = (byte) family.code();
        b[Vmem.SKT_PROTO] = (byte) proto.code();
        b[Vmem.SKT_STAT] = (byte) state.code();
        System.arraycopy(laddr, 0, b, Vmem.SKT_LADDR, laddr.length);
        System.arraycopy(raddr, 0, b, Vmem.SKT_RADDR, raddr.length);
        Bytes.putU16(b, Vmem.SKT_LPORT, lport);
        Bytes.putU16(b, Vmem.SKT_RPORT, rport);
        Bytes.putU32(b, Vmem.SKT_RBUFSZ, rbufsz);
        Bytes.putU32(b, Vmem.SKT_RBUFUSED, Math.min(rbufused, U32_MAX));
        Bytes.putU32(b, Vmem.SKT_DROPSTAT_BYTES, droppedBytes);
        Bytes.putU32(b, Vmem.SKT_DROPSTAT_PACKETS, droppedPackets);
        b[Vmem.SKT_NSENDERR] = (byte) nsendErr;
        Bytes.putU16(b, Vmem.SKT_NSENDERRTAG, nsendErrTag);
        Bytes.putU16(b, Vmem.SKT_NOTIFMASK, notificationMask);
        if (controlFlags != null) {
            System.arraycopy(controlFlags, 0, b, Vmem.SKT_CTFL, Vmem.SKT_CTFL_SIZE);
        }
        return b;
    }

    /**
     * Applies an {@code mwrite} of {@code data} at {@code addr} to the writable fields of this
     * socket's block at {@code base} (RBUFSZ, NSENDERR, NSENDERRTAG, NOTIFMASK, CTFL); partial
     * overlaps change only the bytes written. Ignored unless the state is OPENING..END (§10.4).
     */
    final void write(long base, long addr, byte[] data) {
        if (state.code() < SocketState.OPENING.code() || state.code() > SocketState.END.code()) {
            return;
        }
        byte[] f4 = new byte[4];
        Bytes.putU32(f4, 0, rbufsz);
        if (Bytes.underlay(f4, base + Vmem.SKT_RBUFSZ, data, addr)) {
            rbufsz = Bytes.u32(f4, 0);
            receiveBudgetChanged();
        }
        byte[] f1 = {(byte) nsendErr};
        if (Bytes.underlay(f1, base + Vmem.SKT_NSENDERR, data, addr)) {
            nsendErr = f1[0];
        }
        byte[] f2 = new byte[2];
        Bytes.putU16(f2, 0, nsendErrTag);
        if (Bytes.underlay(f2, base + Vmem.SKT_NSENDERRTAG, data, addr)) {
            nsendErrTag = Bytes.u16(f2, 0);
        }
        Bytes.putU16(f2, 0, notificationMask);
        if (Bytes.underlay(f2, base + Vmem.SKT_NOTIFMASK, data, addr)) {
            setNotificationMask(Bytes.u16(f2, 0));
        }
        byte[] flags = controlFlags == null ? new byte[Vmem.SKT_CTFL_SIZE] : controlFlags;
        if (Bytes.underlay(flags, base + Vmem.SKT_CTFL, data, addr)) {
            controlFlags = flags;
        }
    }

    @Override
    public String toString() {
        return "socket " + sktid + " (" + proto + "/" + family + ", " + state + ")";
    }
}
