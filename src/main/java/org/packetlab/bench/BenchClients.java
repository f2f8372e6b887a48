package org.packetlab.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Result;
import org.packetlab.wire.Xnotify;
import org.packetlab.wire.Xsub;

/**
 * The receiving side of {@link BrokerBench}: N TLS clients (optionally subscribing to the bench
 * channel) that count notifications. They run in this JVM, or, when the open-file limit cannot
 * hold both ends of 2N sockets, in a child JVM driven over its standard input and output.
 */
abstract sealed class BenchClients implements AutoCloseable permits BenchClients.Local, BenchClients.Child {
    static final org.packetlab.wire.Channel CHANNEL = org.packetlab.wire.Channel.of("bench".getBytes(StandardCharsets.US_ASCII));
    static final Duration WAIT = Duration.ofMinutes(10);
    private static final int IN_FLIGHT = 64;
    /** Largest message a benchmark client accepts: a result, or an xnotify with a descriptor. */
    static final int MAX_BODY = 64 * 1024;

    /** Connects {@code n} clients (subscribing each when asked) and returns how long that took. */
    abstract Duration connect(InetSocketAddress address, boolean subscribe, int n) throws Exception;

    /** Runs {@code trigger} and returns the nanoseconds until every client has received one more notification. */
    abstract long round(Runnable trigger) throws Exception;

    /** Closes every client connection. */
    abstract void disconnect() throws Exception;

    @Override
    public abstract void close();

    static Xsub subscription() {
        return Xsub.of(ChannelList.of(CHANNEL), new byte[32], NameValues.empty(NameValues.Syntax.DATTR));
    }

    static SslContext clientTls(Ed25519PublicKey bop, TlsIdentity identity) throws IOException {
        return PpksTls.client(VerifyMode.AGENT).roots(List.of(bop)).identity(identity).build().context();
    }

    /** Clients in this JVM, on shared event loops. */
    static final class Local extends BenchClients {
        private final EventLoopGroup loops;
        private final SslContext tls;
        private final ChannelGroup channels = new DefaultChannelGroup("bench-clients", GlobalEventExecutor.INSTANCE);
        private final AtomicReference<CountDownLatch> delivered = new AtomicReference<>(new CountDownLatch(0));
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
        private volatile CountDownLatch ready;
        private int count;

        Local(EventLoopGroup loops, SslContext tls) {
            this.loops = loops;
            this.tls = tls;
        }

        @Override
        Duration connect(InetSocketAddress address, boolean subscribe, int n) throws Exception {
            long t0 = System.nanoTime();
            count = n;
            ready = new CountDownLatch(n);
            Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            SslHandler ssl = tls.newHandler(ch.alloc());
                            ssl.setHandshakeTimeoutMillis(WAIT.toMillis());
                            ch.pipeline().addLast(ssl);
                            PacketLabCodec.addTo(ch.pipeline(), MAX_BODY);
                            ch.pipeline().addLast(counter(subscribe ? subscription() : null));
                        }
                    });
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                if (failure.get() != null) {
                    break;
                }
                ChannelFuture f = bootstrap.connect(address);
                channels.add(f.channel());
                f.addListener(done -> {
                    if (!done.isSuccess()) {
                        failed(done.cause());
                    }
                });
            }
            if (failure.get() == null && !ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException(ready.getCount() + " of " + n + " clients not ready within " + WAIT);
            }
            if (failure.get() != null) {
                throw new IOException("a benchmark connection failed: " + failure.get(), failure.get());
            }
            return Duration.ofNanos(System.nanoTime() - t0);
        }

        private ChannelHandler counter(Xsub subscribe) {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt instanceof SslHandshakeCompletionEvent e) {
                        if (!e.isSuccess()) {
                            failed(e.cause());
                        } else if (subscribe != null) {
                            ctx.writeAndFlush(subscribe);
                        } else {
                            connected();
                        }
                    }
                    ctx.fireUserEventTriggered(evt);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    try {
                        if (msg instanceof Xnotify) {
                            delivered.get().countDown();
                        } else if (msg instanceof Result r && r.isOk()) {
                            connected();
                        } else {
                            failed(new IOException("unexpected " + msg));
                        }
                    } finally {
                        ReferenceCountUtil.release(msg);
                    }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    failed(cause);
                    ctx.close();
                }
            };
        }

        private void connected() {
            inFlight.release();
            ready.countDown();
        }

        private void failed(Throwable cause) {
            failure.compareAndSet(null, cause);
            inFlight.release();
            ready.countDown();
        }

        @Override
        long round(Runnable trigger) throws Exception {
            CountDownLatch all = new CountDownLatch(count);
            delivered.set(all);
            long t0 = System.nanoTime();
            trigger.run();
            if (!all.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException(all.getCount() + " of " + count + " clients got no notification within " + WAIT);
            }
            return System.nanoTime() - t0;
        }

        /** Arms a round without timing it (the child process times rounds in its parent). */
        CountDownLatch arm() {
            CountDownLatch all = new CountDownLatch(count);
            delivered.set(all);
            return all;
        }

        @Override
        void disconnect() {
            channels.close().awaitUninterruptibly();
            channels.clear();
        }

        @Override
        public void close() {
            disconnect();
        }
    }

    /** Clients in a child JVM: the same {@link Local} clients, driven line by line. */
    static final class Child extends BenchClients {
        private final ChildJvm child;

        Child(Ed25519PublicKey bop, TlsIdentity identity) throws IOException {
            long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
            HexFormat hex = HexFormat.of();
            child = ChildJvm.start(BrokerBench.class, List.of("-Xmx" + heapMb + "m"), List.of(CHILD_FLAG, hex.formatHex(bop.raw()),
                    hex.formatHex(identity.key().pkcs8()), hex.formatHex(identity.chain().get(0).der())));
        }

        private String ask(String line, String expected) throws IOException {
            child.send(line);
            return child.expect(expected);
        }

        @Override
        Duration connect(InetSocketAddress address, boolean subscribe, int n) throws IOException {
            String nanos = ask("connect " + address.getHostString() + " " + address.getPort() + " " + subscribe + " " + n, "ready");
            return Duration.ofNanos(Long.parseLong(nanos));
        }

        @Override
        long round(Runnable trigger) throws IOException {
            ask("arm", "armed");
            long t0 = System.nanoTime();
            trigger.run();
            child.expect("done");
            return System.nanoTime() - t0;
        }

        @Override
        void disconnect() throws IOException {
            ask("disconnect", "disconnected");
        }

        @Override
        public void close() {
            child.close();
        }
    }

    static final String CHILD_FLAG = "--bench-clients";

    /** The child JVM's loop: serves the {@link Child} protocol on standard input and output. */
    static void serveChild(String bopHex, String keyHex, String certHex) throws Exception {
        HexFormat hex = HexFormat.of();
        TlsIdentity identity;
        try {
            identity = new TlsIdentity(List.of(Cert.parse(hex.parseHex(certHex))), Ed25519PrivateKey.fromPkcs8(hex.parseHex(keyHex)));
        } catch (CertException e) {
            throw new IOException("bad client certificate from the parent: " + e.getMessage(), e);
        }
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("pktlab-bench-child", true), NioIoHandler.newFactory());
        PrintStream out = System.out;
        try (Local clients = new Local(loops, clientTls(Ed25519PublicKey.fromRaw(hex.parseHex(bopHex)), identity))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] w = line.split(" ");
                switch (w[0]) {
                    case "connect" -> {
                        try {
                            Duration d = clients.connect(new InetSocketAddress(w[1], Integer.parseInt(w[2])), Boolean.parseBoolean(w[3]),
                                    Integer.parseInt(w[4]));
                            out.println("ready " + d.toNanos());
                        } catch (IOException e) {
                            out.println(ChildJvm.ERROR + e.getMessage());
                        }
                    }
                    case "arm" -> {
                        CountDownLatch all = clients.arm();
                        out.println("armed");
                        out.flush();
                        out.println(all.await(WAIT.toSeconds(), TimeUnit.SECONDS) ? "done" : ChildJvm.ERROR + "timeout");
                    }
                    case "disconnect" -> {
                        clients.disconnect();
                        out.println("disconnected");
                    }
                    default -> out.println(ChildJvm.ERROR + "unknown command " + w[0]);
                }
                out.flush();
            }
        } finally {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
