package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Notification;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Request;
import org.packetlab.wire.Response;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.WireCodec;

/**
 * A raw test controller: a TLS 1.3 server with a controller chain, the wire codec, and nothing
 * else. Each accepted connection becomes a {@link Conn} whose responses and notifications the test
 * takes from queues. Listens on 127.0.0.1 (or ::1), port 0.
 */
final class TestController implements AutoCloseable {
    /** How long a test waits for one message. */
    static final long WAIT_SECONDS = 20;

    private final Channel server;
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();

    private TestController(EventLoopGroup group, PpksTls.Server tls, String host, int port) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler());
                        PacketLabCodec.addTo(ch.pipeline(), WireCodec.MAX_BODY);
                        ch.pipeline().addLast("conn", new Conn(ch));
                    }
                })
                .bind(host, port).sync().channel();
    }

    /** A controller presenting {@code chain} with {@code key}, trusting endpoints rooted at {@code endpointRoots}. */
    static TestController start(EventLoopGroup group, Ed25519PrivateKey key, List<Cert> chain, List<Ed25519PublicKey> endpointRoots)
            throws SSLException, InterruptedException {
        return start(group, PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT).defaultEntry(new TlsIdentity(chain, key), endpointRoots).build(),
                "127.0.0.1");
    }

    /** A controller with its own TLS server on {@code host}. */
    static TestController start(EventLoopGroup group, PpksTls.Server tls, String host) throws InterruptedException {
        return new TestController(group, tls, host, 0);
    }

    /** A controller with the default entry of {@code chain}, listening on {@code host:port}. */
    static TestController start(EventLoopGroup group, Ed25519PrivateKey key, List<Cert> chain, List<Ed25519PublicKey> endpointRoots,
                                String host, int port) throws SSLException, InterruptedException {
        return new TestController(group, PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .defaultEntry(new TlsIdentity(chain, key), endpointRoots).build(), host, port);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The next connection whose TLS handshake succeeded. */
    Conn accept() throws InterruptedException {
        return accept(WAIT_SECONDS);
    }

    /** The next connection whose TLS handshake succeeded, waiting up to {@code seconds}. */
    Conn accept(long seconds) throws InterruptedException {
        Conn c = accepted.poll(seconds, TimeUnit.SECONDS);
        assertThat(c).as("an endpoint connected").isNotNull();
        return c;
    }

    @Override
    public void close() throws InterruptedException {
        server.close().sync();
    }

    /** One control connection seen from the controller. */
    final class Conn extends SimpleChannelInboundHandler<Message> {
        final Channel channel;
        private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        private final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
        private final BlockingQueue<Message> other = new LinkedBlockingQueue<>();
        /** Notifications a test skipped while waiting for another kind (test thread only). */
        private final java.util.List<Notification> stash = new java.util.ArrayList<>();

        Conn(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                accepted.add(this);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
            switch (msg) {
                case Response r -> responses.add(r);
                case Notification n -> notifications.add(n);
                default -> other.add(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        /** Sends a message. */
        void send(Message m) {
            channel.writeAndFlush(m);
        }

        /** Sends raw bytes (a hand-made frame). */
        void sendBytes(byte[] bytes) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
        }

        /** The next response. */
        Response response() throws InterruptedException {
            Response r = responses.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(r).as("a response").isNotNull();
            return r;
        }

        /** Sends {@code r} and returns its response. */
        Response call(Request r) throws InterruptedException {
            send(r);
            return response();
        }

        /** Sends {@code r} and returns the status of its {@code result}. */
        Status status(Request r) throws InterruptedException {
            Response resp = call(r);
            assertThat(resp).as("response to " + r).isInstanceOf(Result.class);
            return ((Result) resp).status();
        }

        /** Reads vmem. */
        byte[] read(long addr, int len) throws InterruptedException {
            Response r = call(Mread.of(addr, len));
            assertThat(r).isInstanceOf(Mdata.class);
            Mdata d = (Mdata) r;
            assertThat(d.addr()).isEqualTo(addr);
            return d.data();
        }

        /** Sends {@code start} and expects success. */
        void start() throws InterruptedException {
            assertThat(status(new Start())).isEqualTo(Status.SUCCESS);
        }

        /** The next notification of type {@code type} matching {@code p} (others of that wait are kept in order for later). */
        <T extends Notification> T next(Class<T> type) throws InterruptedException {
            return next(type, t -> true);
        }

        <T extends Notification> T next(Class<T> type, Predicate<T> p) throws InterruptedException {
            for (java.util.Iterator<Notification> it = stash.iterator(); it.hasNext(); ) {
                Notification n = it.next();
                if (type.isInstance(n) && p.test(type.cast(n))) {
                    it.remove();
                    return type.cast(n);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (true) {
                Notification n = notifications.poll(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
                assertThat(n).as("a " + type.getSimpleName() + " notification").isNotNull();
                if (type.isInstance(n) && p.test(type.cast(n))) {
                    return type.cast(n);
                }
                stash.add(n);
            }
        }

        /** The next notification, whatever its type, or null after {@code millis}. */
        Notification poll(long millis) throws InterruptedException {
            return stash.isEmpty() ? notifications.poll(millis, TimeUnit.MILLISECONDS) : stash.removeFirst();
        }

        /** Notifications received and not taken yet. */
        List<Notification> pending() {
            List<Notification> all = new java.util.ArrayList<>(stash);
            all.addAll(notifications);
            return all;
        }

        /** Waits until the endpoint has closed the connection. */
        void awaitClosed() throws InterruptedException {
            assertThat(channel.closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS)).as("connection closed").isTrue();
        }

        void close() throws InterruptedException {
            channel.close().sync();
        }
    }
}
