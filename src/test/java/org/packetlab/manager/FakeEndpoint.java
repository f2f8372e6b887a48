package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.WireCodec;

/**
 * A scripted endpoint for manager tests: a real TLS client on loopback speaking raw PacketLab
 * messages, driven step by step from the test thread (or a virtual thread per endpoint). It records
 * every byte it receives after TLS, and can send bytes that are not a valid message.
 */
final class FakeEndpoint implements AutoCloseable {
    static final long WAIT_SECONDS = 10;
    private static final Object CLOSED = new Object();

    private final Channel channel;
    private final SslHandler ssl;
    private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private FakeEndpoint(Channel channel) {
        this.channel = channel;
        this.ssl = channel.pipeline().get(SslHandler.class);
    }

    /** Connects to {@code manager}; the TLS handshake runs in the background (see {@link #handshake()}). */
    static FakeEndpoint connect(EventLoopGroup group, InetSocketAddress manager, PpksTls.Client tls) throws InterruptedException {
        FakeEndpoint[] self = new FakeEndpoint[1];
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()))
                                .addLast("record", new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        ByteBuf b = (ByteBuf) msg;
                                        byte[] copy = new byte[b.readableBytes()];
                                        b.getBytes(b.readerIndex(), copy);
                                        synchronized (self[0].received) {
                                            self[0].received.writeBytes(copy);
                                        }
                                        ctx.fireChannelRead(msg);
                                    }
                                });
                        PacketLabCodec.addTo(ch.pipeline(), WireCodec.MAX_BODY);
                        ch.pipeline().addLast("queue", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                self[0].inbound.add(msg);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                self[0].inbound.add(CLOSED);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .register().sync().channel();
        self[0] = new FakeEndpoint(ch);
        ch.connect(manager).sync();
        return self[0];
    }

    /** Waits for the TLS handshake; returns its failure, or null when it succeeded. */
    Throwable handshake() throws InterruptedException {
        ssl.handshakeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(ssl.handshakeFuture().isDone()).as("handshake done within %d s", WAIT_SECONDS).isTrue();
        return ssl.handshakeFuture().cause();
    }

    /** The next message from the manager; fails when none comes or the connection closes first. */
    Message take() throws InterruptedException {
        Object o = inbound.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("no message from the manager within " + WAIT_SECONDS + " s");
        }
        if (o == CLOSED) {
            inbound.add(CLOSED);
            throw new AssertionError("the manager closed the connection");
        }
        return (Message) o;
    }

    /** Waits until the manager closes the connection; returns the messages that arrived before. */
    java.util.List<Message> awaitClosed() throws InterruptedException {
        java.util.List<Message> before = new java.util.ArrayList<>();
        while (true) {
            Object o = inbound.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("the connection is still open after " + WAIT_SECONDS + " s");
            }
            if (o == CLOSED) {
                inbound.add(CLOSED);
                return before;
            }
            before.add((Message) o);
        }
    }

    /** Whether nothing arrived from the manager so far. */
    boolean receivedNothing() {
        return inbound.isEmpty();
    }

    void send(Message m) throws InterruptedException {
        channel.writeAndFlush(m).sync();
    }

    /** Sends bytes as they are, through TLS. */
    void sendRaw(byte[] bytes) throws InterruptedException {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
    }

    /** Every byte received from the manager after TLS so far. */
    byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /**
     * Plays a well-behaved endpoint's set-up: accepts each {@code cdata}, then {@code start}, then
     * answers the host id read with {@code hostId}.
     */
    void serveSetup(String hostId) throws InterruptedException {
        Message m = take();
        while (m instanceof Cdata) {
            send(Result.ok());
            m = take();
        }
        assertThat(m).isEqualTo(new Start());
        send(Result.ok());
        answerHostId(hostId);
    }

    void answerHostId(String hostId) throws InterruptedException {
        assertThat(take()).isEqualTo(Mread.of(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE));
        answerHostIdRead(hostId);
    }

    /** Answers a host id read already taken. */
    void answerHostIdRead(String hostId) throws InterruptedException {
        byte[] field = new byte[Vmem.HOSTID_SIZE];
        byte[] id = hostId.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, field, 0, id.length);
        send(Mdata.of(Vmem.SYSPARAM_HOSTID, field));
    }

    /** Answers every {@code mread} with that many bytes of {@code fill} until the manager closes the session. */
    void serveReads(byte fill) throws InterruptedException {
        while (true) {
            Object o = inbound.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("session still open after " + WAIT_SECONDS + " s of silence");
            }
            if (o == CLOSED) {
                inbound.add(CLOSED);
                return;
            }
            if (o instanceof Mread r) {
                byte[] data = new byte[r.len()];
                java.util.Arrays.fill(data, fill);
                send(Mdata.of(r.addr(), data));
            }
        }
    }

    /** Disappears without TLS close_notify and with a TCP reset. */
    void vanish() throws InterruptedException {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.eventLoop().submit(() -> channel.unsafe().closeForcibly()).sync();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
