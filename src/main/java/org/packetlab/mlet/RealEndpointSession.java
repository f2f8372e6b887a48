package org.packetlab.mlet;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.packetlab.wire.BrokerMessage;
import org.packetlab.wire.Family;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Ndrop;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Request;
import org.packetlab.wire.Response;
import org.packetlab.wire.Result;
import org.packetlab.wire.Resumd;
import org.packetlab.wire.SocketMessage;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Suspd;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.Xnotify;
import org.packetlab.wire.Yield;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint session behind an {@link EndpointSession}: sends requests through the
 * {@link SessionTransport}, matches the responses the {@link SessionSink} receives to them in
 * request order (spec/wire-protocol.md §12.2), and dispatches notifications (0x60-0x7F) to the
 * socket or send tag they concern.
 *
 * <h2>Threads</h2>
 * Mlet threads call the {@link EndpointSession} side and block (on futures and socket queues);
 * the transport's event loop calls the {@link SessionSink} side, which never blocks.
 */
final class RealEndpointSession implements EndpointSession, SessionSink {

    private static final Logger log = LoggerFactory.getLogger(RealEndpointSession.class);

    /** Requests sent but not answered; more means the endpoint stopped answering. */
    static final int MAX_UNANSWERED = 4096;

    private record Pending(Request request, CompletableFuture<Response> answer) {}

    /** Why the session ended. */
    private record Closure(String message, Throwable cause, boolean suspended) {
        SessionClosedException exception() {
            return suspended ? new SessionSuspendedException(message) : new SessionClosedException(message, cause);
        }
    }

    /** Completes the futures of a session that has ended; waiters turn it into a fresh exception. */
    private static final class SessionEnded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SessionEnded() {
            super(null, null, false, false);
        }
    }

    private final SessionTransport transport;
    private final InetAddress address;
    private final long socketQueueLimit;
    private volatile Duration timeout;
    private final Timer deadlines;

    // sendLock makes "queue the request, then send it" atomic between mlet threads, so the FIFO
    // order is the wire order; the event loop never takes it
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Object lock = new Object();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final AtomicReferenceArray<RemoteSocket> sockets = new AtomicReferenceArray<>(Vmem.MAX_SOCKETS);
    private final Tags tags = new Tags();
    private volatile Closure closure;
    private volatile String hostId;

    RealEndpointSession(SessionTransport transport, Duration timeout, long socketQueueLimit, Timer deadlines) {
        this.deadlines = deadlines;
        this.transport = transport;
        InetSocketAddress remote = transport.remoteAddress();
        this.address = remote.getAddress();
        this.timeout = timeout;
        this.socketQueueLimit = socketQueueLimit;
    }

    // ---- the mlet's side ----

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public String hostId() throws IOException {
        String id = hostId;
        if (id == null) {
            // fixed for the life of an endpoint: read once
            id = VmemValues.hostId(mread(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE));
            hostId = id;
        }
        return id;
    }

    @Override
    public Instant clock() throws IOException {
        return PktlabTime.toInstant(clockNanos());
    }

    @Override
    public long clockNanos() throws IOException {
        return VmemValues.unsigned(mread(Vmem.SYSPARAM_TIME, 8));
    }

    @Override
    public List<LocalAddress> localAddresses() throws IOException {
        byte[] counts = mread(Vmem.SYSPARAM_IP4NO, 2);
        int v4 = counts[0] & 0xFF;
        int v6 = counts[1] & 0xFF;
        List<LocalAddress> out = new ArrayList<>(v4 + v6);
        if (v4 > 0) {
            out.addAll(VmemValues.ipv4Locals(mread(Vmem.SYSPARAM_IP4LS, v4 * Vmem.IP4LS_ENTRY_SIZE), v4));
        }
        if (v6 > 0) {
            out.addAll(VmemValues.ipv6Locals(mread(Vmem.SYSPARAM_IP6LS, v6 * Vmem.IP6LS_ENTRY_SIZE), v6));
        }
        return List.copyOf(out);
    }

    @Override
    public List<InetAddress> dnsServers() throws IOException {
        byte[] counts = mread(Vmem.SYSPARAM_IP4DNSNO, 2);
        int v4 = Math.min(counts[0] & 0xFF, Vmem.MAX_DNS_RESOLVERS);
        int v6 = Math.min(counts[1] & 0xFF, Vmem.MAX_DNS_RESOLVERS);
        List<InetAddress> out = new ArrayList<>(v4 + v6);
        if (v4 > 0) {
            out.addAll(VmemValues.addresses(mread(Vmem.SYSPARAM_IP4DNSLS, v4 * 4), v4, 4));
        }
        if (v6 > 0) {
            out.addAll(VmemValues.addresses(mread(Vmem.SYSPARAM_IP6DNSLS, v6 * 16), v6, 16));
        }
        return List.copyOf(out);
    }

    @Override
    public byte[] mread(long addr, int len) throws IOException {
        Mread request = Mread.of(addr, len);
        return switch (call(request)) {
            case Mdata m -> m.data();
            case Result r -> throw new PacketLabException(describe(request) + " refused by the endpoint: " + r, r);
        };
    }

    @Override
    public void mwrite(long addr, byte[] data) throws IOException {
        Mwrite request = Mwrite.of(addr, data);
        expectOk(call(request), () -> describe(request));
    }

    @Override
    public SocketInfo socketInfo(int sktid) throws IOException {
        return VmemValues.socketInfo(sktid, mread(Vmem.sktinfo(sktid), VmemValues.SOCKET_INFO_LENGTH));
    }

    /** The state byte of socket {@code sktid}. */
    SocketState socketState(int sktid) throws IOException {
        int code = mread(Vmem.sktinfo(sktid, Vmem.SKT_STAT), 1)[0];
        return SocketState.of(code)
                .orElseThrow(() -> new IOException("the endpoint reports an undefined state " + code + " for sktid " + sktid));
    }

    @Override
    public TcpSocket tcp(String host, int port) throws IOException {
        return tcp(new InetSocketAddress(resolve(host), port));
    }

    @Override
    public TcpSocket tcp(InetSocketAddress remote) throws IOException {
        return tcp(remote, SocketOptions.defaults());
    }

    @Override
    public TcpSocket tcp(InetSocketAddress remote, SocketOptions options) throws IOException {
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("remote address " + remote + " is unresolved");
        }
        InetSocketAddress local = localFor(options, Family.of(remote.getAddress()));
        return open(options, id -> new RealTcpSocket(this, id, remote, socketQueueLimit),
                id -> Nopen.tcp(id, local, remote, options.rbufsz()));
    }

    @Override
    public UdpSocket udp() throws IOException {
        return udp(SocketOptions.defaults());
    }

    @Override
    public UdpSocket udp(String host, int port) throws IOException {
        InetSocketAddress destination = new InetSocketAddress(resolve(host), port);
        return udp(SocketOptions.defaults(), destination);
    }

    @Override
    public UdpSocket udp(SocketOptions options) throws IOException {
        return udp(options, null);
    }

    private UdpSocket udp(SocketOptions options, InetSocketAddress destination) throws IOException {
        Family family = options.local() != null ? Family.of(options.local().getAddress())
                : destination != null ? Family.of(destination.getAddress()) : Family.IPV4;
        InetSocketAddress local = localFor(options, family);
        return open(options, id -> new RealUdpSocket(this, id, family, destination, socketQueueLimit),
                id -> Nopen.udp(id, local, options.rbufsz()));
    }

    @Override
    public void yieldUntil(Instant notBefore) throws IOException {
        expectOk(call(new Yield(PktlabTime.of(notBefore))), () -> "yield until " + notBefore);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public EndpointSession timeout(Duration timeout) {
        this.timeout = EndpointSessions.checkTimeout(timeout);
        return this;
    }

    // ---- requests ----

    /** Sends {@code request} and waits (up to the session timeout) for its response. */
    Response call(Request request) throws IOException {
        // the description is built only when it is needed: a String.format per mread showed in profiles
        return await(submit(request), timeout, () -> "answer to " + describe(request));
    }

    /** Queues {@code request} for its response and sends it; the future completes with the response. */
    private CompletableFuture<Response> submit(Request request) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before sending " + describe(request));
        }
        Pending p = new Pending(request, new CompletableFuture<>());
        sendLock.lock();
        try {
            synchronized (lock) {
                checkOpen();
                if (pending.size() >= MAX_UNANSWERED) {
                    throw new IOException(MAX_UNANSWERED + " requests to " + address + " are unanswered; not sending "
                            + describe(request));
                }
                pending.add(p);
            }
            transport.send(request);
        } finally {
            sendLock.unlock();
        }
        return p.answer();
    }

    /** Waits for {@code f}, turning timeouts, interrupts and the end of the session into IOExceptions. */
    <T> T await(CompletableFuture<T> f, Duration timeout, Supplier<String> what) throws IOException {
        // the deadline fails a copy: f itself may still get its answer (and others may wait on it)
        CompletableFuture<T> waiter = f.copy();
        Timeout deadline = arm(timeout.toNanos(), () -> waiter.completeExceptionally(new TimeoutException()));
        try {
            return waiter.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException x = new InterruptedIOException("interrupted while waiting for " + what.get());
            x.initCause(e);
            throw x;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new SocketTimeoutException("no " + what.get() + " from the endpoint at " + address + " within " + timeout);
            }
            Closure c = closure;
            if (e.getCause() instanceof SessionEnded && c != null) {
                throw c.exception();
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            deadline.cancel();
        }
    }

    /** Runs {@code task} after {@code nanos} on the session's deadline timer, unless cancelled first. */
    Timeout arm(long nanos, Runnable task) throws SessionClosedException {
        try {
            return deadlines.newTimeout(t -> task.run(), nanos, TimeUnit.NANOSECONDS);
        } catch (IllegalStateException stopped) {
            // a host stops its timer only after closing its sessions: say that, not the timer's state
            checkOpen();
            throw stopped;
        }
    }

    /** Throws unless {@code r} is a success {@code result}. */
    void expectOk(Response r, Supplier<String> what) throws PacketLabException {
        switch (r) {
            case Result res when res.isOk() -> { }
            case Result res -> throw new PacketLabException(what.get() + " refused by the endpoint: " + res, res);
            // answer() lets mdata through only for mread
            case Mdata m -> throw new IllegalStateException("mdata answered " + what.get());
        }
    }

    /** Throws if the session has ended. */
    void checkOpen() throws SessionClosedException {
        Closure c = closure;
        if (c != null) {
            throw c.exception();
        }
    }

    private <S extends RemoteSocket> S open(SocketOptions options, IntFunction<S> socket, IntFunction<Nopen> request)
            throws IOException {
        S s = reserve(options.sktid(), socket);
        Nopen nopen = request.apply(s.sktid);
        try {
            expectOk(call(nopen), () -> describe(nopen));
            return s;
        } catch (PacketLabException e) {
            // only a refusal frees the id: after a timeout the endpoint may have opened the socket,
            // and reusing the id would only fail with ESKTINUSE
            release(s);
            throw e;
        }
    }

    private <S extends RemoteSocket> S reserve(int wanted, IntFunction<S> socket) throws SessionClosedException {
        synchronized (lock) {
            checkOpen();
            int id = wanted;
            if (id >= 0) {
                if (sockets.get(id) != null) {
                    throw new IllegalStateException("sktid " + id + " is already in use in this session");
                }
            } else {
                id = freeSktid();
            }
            S s = socket.apply(id);
            sockets.set(id, s);
            return s;
        }
    }

    /** The lowest free socket id from 1 (the reference mlets use 1), then 0. */
    private int freeSktid() {
        for (int i = 1; i <= Vmem.MAX_SOCKETS; i++) {
            int id = i % Vmem.MAX_SOCKETS;
            if (sockets.get(id) == null) {
                return id;
            }
        }
        throw new IllegalStateException("all 256 socket ids of this session are in use");
    }

    private void release(RemoteSocket s) {
        s.markClosed();
        sockets.compareAndSet(s.sktid, s, null);
        tags.failSocket(s.sktid, "sktid " + s.sktid + " was closed before the endpoint reported the send");
    }

    /** Sends on {@code s}: registers the tag's waiter first, so an early {@code ntag} is not lost. */
    Sent send(RemoteSocket s, SendOptions options, IntFunction<Nsend> request) throws IOException {
        int tag = 0;
        CompletableFuture<Ntag> ntag = null;
        if (options.tag() != 0) {
            ntag = new CompletableFuture<>();
            tag = tags.register(s.sktid, options.tag(), ntag);
        }
        Nsend nsend = request.apply(tag);
        try {
            expectOk(call(nsend), () -> describe(nsend));
        } catch (IOException | RuntimeException e) {
            if (tag != 0) {
                tags.forget(tag);
            }
            throw e;
        }
        return new Sent(this, s.sktid, tag, ntag);
    }

    /** Closes {@code s} on the endpoint; nothing to do once the session has ended. */
    void close(RemoteSocket s) throws IOException {
        if (s.isClosed() || closure != null) {
            release(s);
            return;
        }
        Response r;
        try {
            r = call(Nclose.of(s.sktid));
        } catch (SessionClosedException e) {
            release(s);
            return;
        }
        // ESKTNOTOPEN: the endpoint has already freed it, which is what we asked for
        if (r instanceof Result res && res.status() == Status.ESKTNOTOPEN) {
            release(s);
            return;
        }
        try {
            expectOk(r, () -> "nclose sktid " + s.sktid);
        } finally {
            release(s);
        }
    }

    private InetSocketAddress localFor(SocketOptions options, Family family) {
        InetSocketAddress local = options.local();
        if (local == null) {
            return new InetSocketAddress(VmemValues.inet(new byte[family.addressLength()]), 0);
        }
        if (Family.of(local.getAddress()) != family) {
            throw new IllegalArgumentException("local address " + local + " is not " + family);
        }
        return local;
    }

    /** Resolves {@code host} here, on the experiment's side, preferring IPv4 as the reference mlets do. */
    private static InetAddress resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        for (InetAddress a : all) {
            if (a instanceof Inet4Address) {
                return a;
            }
        }
        return all[0];
    }

    private static String describe(Request r) {
        return switch (r) {
            case Nopen n -> "nopen sktid " + n.sktid() + " " + n.proto() + (n.remote().map(a -> " to " + a).orElse(""));
            case Nsend n -> "nsend sktid " + n.sktid() + " (" + n.dataLength() + " bytes" + (n.tag() == 0 ? "" : ", tag " + n.tag()) + ")";
            case Mread m -> String.format("mread 0x%08x+%d", m.addr(), m.len());
            case Mwrite m -> String.format("mwrite 0x%08x+%d", m.addr(), m.data().length);
            default -> r.type().wireName();
        };
    }

    // ---- the transport's side (event loop: never blocks) ----

    @Override
    public void onMessage(Message m) {
        switch (m) {
            case Response r -> answer(r, null);
            case Notification n -> dispatch(n);
            case Raw raw -> onRaw(raw);
            case Request r -> violation("the endpoint sent a request (" + r.type().wireName() + ")");
            case BrokerMessage b -> violation("the endpoint sent a broker message (" + b.type().wireName() + ")");
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        end(new Closure(cause == null ? "the endpoint at " + address + " closed the session"
                : "the session with the endpoint at " + address + " was lost: " + cause.getMessage(), cause, false));
    }

    /** Hands a response (or, for an undecodable one, {@code malformed}) to the oldest unanswered request. */
    private void answer(Response r, Raw malformed) {
        Pending p;
        synchronized (lock) {
            p = pending.poll();
        }
        Message got = r != null ? r : malformed;
        if (p == null) {
            violation("the endpoint sent " + got + " while no request was waiting");
            return;
        }
        if (malformed != null) {
            p.answer().completeExceptionally(new IOException("the endpoint answered " + describe(p.request())
                    + " with an undecodable message: " + malformed.reason()));
            return;
        }
        if (r instanceof Mdata md && !(p.request() instanceof Mread mr && mr.addr() == md.addr() && mr.len() == md.length())) {
            violation("the endpoint answered " + describe(p.request()) + " with " + md);
            p.answer().completeExceptionally(new SessionEnded());
            return;
        }
        p.answer().complete(r);
    }

    private void dispatch(Notification n) {
        switch (n) {
            case Ntag t -> {
                if (!tags.complete(t)) {
                    log.debug("endpoint {}: {} matches no send awaiting it; ignored", address, t);
                }
            }
            case Nstat s -> {
                switch (socket(s)) {
                    case RealTcpSocket tcp -> tcp.onStatus(s);
                    case RealUdpSocket udp -> udp.deliver(s);
                    case null -> { }
                }
            }
            case Ndata d -> {
                RemoteSocket s = socket(d);
                if (s != null && s.proto != d.proto()) {
                    log.warn("endpoint {}: {} does not match the socket's protocol {}; ignored", address, d, s.proto);
                } else if (s != null) {
                    s.deliver(d);
                }
            }
            case Nblock b -> {
                RemoteSocket s = socket(b);
                if (s != null) {
                    s.deliver(b);
                }
            }
            case Ndrop d -> log.info("endpoint {}: sktid {} dropped {} packets ({} bytes)", address, d.sktid(), d.unitcnt(), d.bytecnt());
            case Linfo l -> log.info("endpoint {}: monitor {} says {}", address, l.name(), new String(l.info(), StandardCharsets.UTF_8));
            case Suspd s -> {
                end(new Closure("the endpoint at " + address + " suspended this experiment for a higher-priority one", null, true));
                transport.close();
            }
            case Resumd r -> log.warn("endpoint {}: resumd in a running session; ignored", address);
            case Xnotify x -> log.warn("endpoint {}: xnotify in a running session; ignored", address);
        }
    }

    private RemoteSocket socket(SocketMessage m) {
        RemoteSocket s = sockets.get(m.sktid());
        if (s == null) {
            log.debug("endpoint {}: {} for a socket this session does not have open; ignored", address, m);
        }
        return s;
    }

    private void onRaw(Raw raw) {
        int type = raw.typeCode();
        if (type >= 0x40 && type <= 0x5F) {
            answer(null, raw);
        } else if (type >= 0x60 && type <= 0x7F) {
            log.warn("endpoint {}: undecodable notification {}; ignored", address, raw);
        } else {
            violation("the endpoint sent " + raw);
        }
    }

    private void violation(String what) {
        log.warn("endpoint {}: protocol violation: {}; closing the session", address, what);
        end(new Closure("protocol violation by the endpoint at " + address + ": " + what, null, false));
        transport.close();
    }

    /** Ends the session once: fails every waiter and wakes every socket reader. */
    private void end(Closure c) {
        List<Pending> unanswered;
        synchronized (lock) {
            if (closure != null) {
                return;
            }
            closure = c;
            unanswered = new ArrayList<>(pending);
            pending.clear();
        }
        SessionEnded ended = new SessionEnded();
        unanswered.forEach(p -> p.answer().completeExceptionally(ended));
        tags.failAll(ended);
        for (int i = 0; i < sockets.length(); i++) {
            RemoteSocket s = sockets.get(i);
            if (s != null) {
                s.wake();
            }
        }
    }
}
