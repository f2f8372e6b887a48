package org.packetlab.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.packetlab.broker.Broker;
import org.packetlab.broker.BrokerPublisher;
import org.packetlab.broker.Publication;
import org.packetlab.config.ChannelItem;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Xnotify;

/**
 * The broker's notification fan-out benchmark (not a test). N subscribers on one public channel
 * receive each publication; the time from the publisher's {@code xpub} until the last subscriber
 * has its {@code xnotify} is compared with a baseline measured in the same run: a plain TLS server
 * (same TLS profile and identities, same message) writing one message to N connected clients the
 * way the broker writes, each connection's write handed to its own event loop: what remains is the
 * cost of TLS and the sockets, without matching, bookkeeping or the publisher's request.
 * Each figure is the median of {@value #ROUNDS} rounds, after {@value #WARM_UP_ROUNDS} uncounted ones. Event loops are shared by every side
 * living in the JVM.
 *
 * <pre>
 *   ulimit -n 65536     # 2N sockets per side; raise the limit if you can
 *   java -Xmx4g -cp 'target/pktlab.jar:target/lib/*' org.packetlab.bench.BrokerBench 1000 10000
 * </pre>
 *
 * <h2>Open files</h2>
 * Both ends of every connection live in one process, so N subscribers need 2N descriptors. When
 * the open-file limit is lower than that, the clients (of the baseline and of the broker alike)
 * run in a child JVM on the same machine, and a round ends when the child reports over a pipe
 * that every client has its message (tens of microseconds); {@link Figures#clientsInChildJvm()} says so.
 */
public final class BrokerBench {
    /** Rounds per measurement; the median is reported. */
    public static final int ROUNDS = 5;
    /** Rounds run first and not counted, so both sides are measured with the JIT warmed up. */
    public static final int WARM_UP_ROUNDS = 2;

    private BrokerBench() {}

    /**
     * The figures of one run.
     *
     * @param subscribers       how many subscribers (and baseline connections)
     * @param setup             time to connect, handshake and subscribe every subscriber
     * @param baseline          median time for a plain TLS server to deliver one message to every connection
     * @param fanOut            median time from a publisher's {@code xpub} until every subscriber has its {@code xnotify}
     * @param clientsInChildJvm whether the clients ran in a child JVM (see "Open files" above)
     */
    public record Figures(int subscribers, Duration setup, Duration baseline, Duration fanOut, boolean clientsInChildJvm) {
        /** How many times the baseline the broker's fan-out takes. */
        public double ratio() {
            return (double) fanOut.toNanos() / baseline.toNanos();
        }

        /** One line for a report. */
        public String describe() {
            return String.format("%,d subscribers: fan-out %.1f ms (%.1f µs per subscriber), baseline %.1f ms, ratio %.2f; "
                            + "setup %.1f s%s", subscribers, fanOut.toNanos() / 1e6, fanOut.toNanos() / 1e3 / subscribers,
                    baseline.toNanos() / 1e6, ratio(), setup.toMillis() / 1e3, clientsInChildJvm ? " (clients in a child JVM)" : "");
        }
    }

    /** Runs the benchmark for each subscriber count given (default 1 000 and 10 000) and prints one line each. */
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals(BenchClients.CHILD_FLAG)) {
            BenchClients.serveChild(args[1], args[2], args[3]);
            return;
        }
        int[] counts = args.length == 0 ? new int[] {1_000, 10_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int n : counts) {
            System.out.println(run(n).describe());
        }
    }

    /**
     * Measures fan-out to {@code subscribers} subscribers against the baseline.
     *
     * @throws IOException when the connections cannot be made
     */
    public static Figures run(int subscribers) throws Exception {
        if (subscribers < 1) {
            throw new IllegalArgumentException("subscribers < 1");
        }
        boolean child = 2L * subscribers + 512 > openFileLimit();
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("pktlab-bench", true), NioIoHandler.newFactory());
        Identities ids = new Identities();
        try (BenchClients clients = child ? new BenchClients.Child(ids.bop.publicKey(), ids.client)
                : new BenchClients.Local(loops, BenchClients.clientTls(ids.bop.publicKey(), ids.client))) {
            Duration baseline = baseline(loops, ids, clients, subscribers);
            return broker(loops, ids, clients, subscribers, baseline, child);
        } finally {
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    private static long openFileLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** A broker operator, a broker and one agent identity shared by every client. */
    private static final class Identities {
        final Ed25519PrivateKey bop = Ed25519PrivateKey.generate();
        final Ed25519PrivateKey brk = Ed25519PrivateKey.generate();
        final Cert brokerCert = Cert.agent().subject(brk.publicKey()).validFor(Duration.ofDays(1)).signWith(bop);
        final TlsIdentity client;

        Identities() {
            Ed25519PrivateKey k = Ed25519PrivateKey.generate();
            client = new TlsIdentity(List.of(Cert.agent().subject(k.publicKey()).validFor(Duration.ofDays(1)).signWith(k)), k);
        }

        SslContext serverTls() throws IOException {
            return PpksTls.server(VerifyMode.AGENT).defaultEntry(new TlsIdentity(List.of(brokerCert), brk), List.of()).build()
                    .context(Optional.empty()).orElseThrow();
        }
    }

    private static NameValues xdescr(int round) {
        return NameValues.parse("pub_end=18446744073709551615;controller_addr=127.0.0.1;sni_key=round" + round + ";",
                NameValues.Syntax.XDESCR);
    }

    private static Duration median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return Duration.ofNanos(sorted.get(sorted.size() / 2));
    }

    private static Duration baseline(EventLoopGroup loops, Identities ids, BenchClients clients, int n) throws Exception {
        SslContext serverTls = ids.serverTls();
        ChannelGroup accepted = new DefaultChannelGroup("bench-baseline", GlobalEventExecutor.INSTANCE);
        CountDownLatch serverReady = new CountDownLatch(n);
        Channel server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = serverTls.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(BenchClients.WAIT.toMillis());
                        ch.pipeline().addLast(ssl);
                        PacketLabCodec.addTo(ch.pipeline(), BenchClients.MAX_BODY);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                                    accepted.add(ctx.channel());
                                    serverReady.countDown();
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            clients.connect((InetSocketAddress) server.localAddress(), false, n);
            // the server sees a handshake end a moment after its client does
            if (!serverReady.await(BenchClients.WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IOException("baseline server saw " + accepted.size() + " of " + n + " handshakes");
            }
            List<Long> times = new ArrayList<>();
            for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
                Xnotify message = Xnotify.of(BenchClients.CHANNEL, xdescr(round + WARM_UP_ROUNDS));
                // as the broker fans out: from an event loop, each connection's write handed to its own loop
                times.add(clients.round(() -> loops.next().execute(() -> {
                    for (Channel c : accepted) {
                        c.eventLoop().execute(() -> c.writeAndFlush(message, c.voidPromise()));
                    }
                })));
            }
            return median(times.subList(WARM_UP_ROUNDS, times.size()));
        } finally {
            clients.disconnect();
            accepted.close().awaitUninterruptibly();
            server.close().awaitUninterruptibly();
        }
    }

    private static Figures broker(EventLoopGroup loops, Identities ids, BenchClients clients, int n, Duration baseline, boolean child)
            throws Exception {
        try (Broker broker = Broker.builder().identity(ids.brk, ids.brokerCert)
                .publicationAddress(new InetSocketAddress("127.0.0.1", 0))
                .subscriptionAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxSubscribers(n).setupTimeout(BenchClients.WAIT).refusalDelay(Duration.ZERO).eventLoops(loops).start();
             BrokerPublisher publisher = BrokerPublisher.builder().broker(broker.publicationAddress())
                     .identity(ids.client).brokerRoots(List.of(ids.bop.publicKey())).eventLoops(loops).connect()) {
            Duration setup = clients.connect(broker.subscriptionAddress(), true, n);
            List<Long> times = new ArrayList<>();
            for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
                Publication p = Publication.of(Optional.empty(), List.of(ChannelItem.of(BenchClients.CHANNEL.id())),
                        xdescr(round + WARM_UP_ROUNDS));
                times.add(clients.round(() -> publisher.publish(p)));
            }
            clients.disconnect();
            return new Figures(n, setup, baseline, median(times.subList(WARM_UP_ROUNDS, times.size())), child);
        }
    }
}
