package org.packetlab.broker;

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
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Message;
import org.packetlab.wire.WireCodec;

/**
 * A byte-level broker client for tests: real TLS 1.3 in agent mode on loopback, then raw bytes
 * both ways, so tests write and read exactly the layouts of the spec.
 */
final class RawClient implements AutoCloseable {
    static final long WAIT_SECONDS = 10;

    private final Channel channel;
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ByteBuffer pending = ByteBuffer.allocate(0);

    private final SslHandler tls;

    private RawClient(Channel channel) {
        this.channel = channel;
        this.tls = channel.pipeline().get(SslHandler.class);
        channel.closeFuture().addListener(f -> closed.complete(null));
    }

    /** Connects and completes the handshake; fails the test if the handshake fails. */
    static RawClient connect(EventLoopGroup loops, InetSocketAddress address, TlsIdentity identity) throws Exception {
        return connect(loops, address, identity, 0);
    }

    /** As {@link #connect(EventLoopGroup, InetSocketAddress, TlsIdentity)}, with a socket receive buffer of {@code receiveBuffer} bytes (0 = default). */
    static RawClient connect(EventLoopGroup loops, InetSocketAddress address, TlsIdentity identity, int receiveBuffer) throws Exception {
        RawClient c = open(loops, address, identity, List.of(Creds.K_BOP.publicKey()), receiveBuffer);
        var hs = c.tls.handshakeFuture();
        if (!hs.await(WAIT_SECONDS, TimeUnit.SECONDS) || !hs.isSuccess()) {
            throw new AssertionError("handshake failed", hs.cause());
        }
        return c;
    }

    /** Connects without waiting for the handshake; {@code identity} may be null (no client certificate). */
    static RawClient open(EventLoopGroup loops, InetSocketAddress address, TlsIdentity identity, List<Ed25519PublicKey> roots)
            throws Exception {
        return open(loops, address, identity, roots, 0);
    }

    private static RawClient open(EventLoopGroup loops, InetSocketAddress address, TlsIdentity identity, List<Ed25519PublicKey> roots,
                                  int receiveBuffer) throws Exception {
        var b = PpksTls.client(VerifyMode.AGENT).roots(roots);
        if (identity != null) {
            b.identity(identity);
        }
        PpksTls.Client tls = b.build();
        RawClient[] self = new RawClient[1];
        Bootstrap bootstrap = new Bootstrap().group(loops).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
        if (receiveBuffer > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        Channel ch = bootstrap
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc())).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                try {
                                    byte[] bytes = new byte[b.readableBytes()];
                                    b.readBytes(bytes);
                                    self[0].chunks.add(bytes);
                                } finally {
                                    b.release();
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                })
                .connect(address).sync().channel();
        self[0] = new RawClient(ch);
        return self[0];
    }

    SslHandler tls() {
        return tls;
    }

    /** Writes bytes (one TLS record per call). */
    RawClient send(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
        return this;
    }

    /** Writes the encoded messages in one write (pipelined). */
    RawClient send(Message... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Message m : messages) {
            out.writeBytes(WireCodec.encode(m));
        }
        return send(out.toByteArray());
    }

    /** Reads exactly {@code n} bytes. */
    byte[] read(int n) throws InterruptedException {
        while (pending.remaining() < n) {
            byte[] more = chunks.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (more == null) {
                throw new AssertionError("expected " + n + " bytes, got " + pending.remaining() + " within " + WAIT_SECONDS + " s: "
                        + HexFormat.of().formatHex(pending.array(), pending.position(), pending.limit()));
            }
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + more.length);
            joined.put(pending).put(more).flip();
            pending = joined;
        }
        byte[] out = new byte[n];
        pending.get(out);
        return out;
    }

    /** Reads one whole message: header and body bytes. */
    byte[] readFrame() throws InterruptedException {
        byte[] header = read(4);
        int len = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
        byte[] body = read(len);
        byte[] frame = new byte[4 + len];
        System.arraycopy(header, 0, frame, 0, 4);
        System.arraycopy(body, 0, frame, 4, len);
        return frame;
    }

    /** Reads and decodes one message. */
    Message readMessage() throws InterruptedException {
        return WireCodec.decode(ByteBuffer.wrap(readFrame()));
    }

    /** Waits until the broker has closed the connection, with no bytes left unread. */
    void awaitClosed() throws Exception {
        closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops reading from the socket, so the broker's writes back up. */
    void pauseReading() {
        channel.config().setAutoRead(false);
    }

    boolean isOpen() {
        return channel.isActive();
    }

    /** Bytes received but not read yet, plus everything queued. */
    int unread() {
        return pending.remaining() + chunks.stream().mapToInt(b -> b.length).sum();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
