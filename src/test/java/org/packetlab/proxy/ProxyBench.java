package org.packetlab.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.Snikey;

/**
 * Benchmark (not a test): bulk throughput of an endpoint connection relayed by the proxy to a
 * backlog connection, as a ratio against a direct loopback connection measured in the same run.
 * Both paths end in the same counting sink on the same event loop; the client is a blocking socket
 * writing 64 KiB chunks. The relayed connection starts with a real ClientHello so the proxy routes it.
 *
 * <pre>
 *   mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) org.packetlab.proxy.ProxyBench [MiB] [rounds]
 * </pre>
 */
public final class ProxyBench {
    private static final int CHUNK = 64 * 1024;

    /** Median throughputs over the rounds, in MB/s (10^6 bytes), and proxy / direct. */
    public record Figures(long bytesPerRound, int rounds, double directMBps, double proxyMBps) {
        public double ratio() {
            return proxyMBps / directMBps;
        }

        @Override
        public String toString() {
            return String.format("%d rounds of %d MiB: direct %.0f MB/s, through the proxy %.0f MB/s, ratio %.2f",
                    rounds, bytesPerRound >> 20, directMBps, proxyMBps, ratio());
        }
    }

    private ProxyBench() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.println(run(mib << 20, rounds));
    }

    /** Runs {@code rounds} alternating direct and relayed transfers of {@code bytes} each. */
    public static Figures run(long bytes, int rounds) throws Exception {
        EventLoopGroup sinks = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Snikey snikey = Snikey.random();
        BlockingQueue<Sink> relayed = new LinkedBlockingQueue<>();
        BlockingQueue<Sink> direct = new LinkedBlockingQueue<>();
        byte[] hello = EngineConnection.clientHello(Creds.endpointClient(snikey).context());
        Channel directServer = new ServerBootstrap().group(sinks).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Sink s = new Sink(bytes);
                        direct.add(s);
                        ch.pipeline().addLast(s);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try (Proxy proxy = Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0)).build();
             BacklogPool pool = BacklogPool.builder().proxy(proxy.setupAddress()).snikeys(List.of(snikey)).target(1)
                     .connTimeout(Duration.ofSeconds(10)).bootstrapTimeout(Duration.ofSeconds(30)).eventLoopGroup(sinks)
                     .handoff((key, ch) -> {
                         Sink s = new Sink(hello.length + bytes);
                         relayed.add(s);
                         ch.pipeline().addLast(s);
                     })
                     .build()) {
            pool.bootstrap();
            double[] d = new double[rounds];
            double[] p = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                d[i] = transfer((InetSocketAddress) directServer.localAddress(), new byte[0], bytes, direct);
                Await.until("the pool refilled", () -> pool.ready(snikey) >= 1);
                p[i] = transfer(proxy.endpointAddress(), hello, bytes, relayed);
            }
            return new Figures(bytes, rounds, median(d), median(p));
        } finally {
            directServer.close().sync();
            sinks.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }

    /** Sends {@code preface} then {@code bytes} and returns MB/s from the first write until the sink counted everything. */
    private static double transfer(InetSocketAddress to, byte[] preface, long bytes, BlockingQueue<Sink> sinks) throws Exception {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 0x5a);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(to, 5_000);
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            out.write(preface);
            for (long left = bytes; left > 0; left -= CHUNK) {
                out.write(chunk, 0, (int) Math.min(CHUNK, left));
            }
            Sink sink = sinks.poll(60, TimeUnit.SECONDS);
            if (sink == null) {
                throw new IllegalStateException("no connection reached the sink");
            }
            long end = sink.done.get(120, TimeUnit.SECONDS);
            return bytes / ((end - start) / 1e9) / 1e6;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Counts bytes; completes with the time the last expected byte arrived. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final long want;
        private long got;

        Sink(long want) {
            this.want = want;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            got += b.readableBytes();
            b.release();
            if (got >= want) {
                done.complete(System.nanoTime());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }
    }
}
