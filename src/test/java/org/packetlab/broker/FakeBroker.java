package org.packetlab.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Message;
import org.packetlab.wire.WireCodec;

/**
 * A scripted broker for client tests: real TLS with the broker's identity on 127.0.0.1, then each
 * accepted connection is handed to the test, which reads frames and writes bytes as it likes.
 */
final class FakeBroker implements AutoCloseable {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final LinkedBlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();

    /** One accepted connection. */
    static final class Conn {
        private final Channel channel;
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private ByteBuffer pending = ByteBuffer.allocate(0);

        Conn(Channel channel) {
            this.channel = channel;
            channel.closeFuture().addListener(f -> closed.complete(null));
        }

        /** Reads one whole message and decodes it. */
        Message readMessage() throws InterruptedException {
            byte[] header = read(4);
            int len = (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
            ByteBuffer whole = ByteBuffer.allocate(4 + len).put(header).put(read(len)).flip();
            return WireCodec.decode(whole);
        }

        /** Whether a whole message is already here without waiting. */
        int buffered() {
            return pending.remaining() + chunks.stream().mapToInt(b -> b.length).sum();
        }

        private byte[] read(int n) throws InterruptedException {
            while (pending.remaining() < n) {
                byte[] more = chunks.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
                if (more == null) {
                    throw new AssertionError("expected " + n + " bytes from the client");
                }
                pending = ByteBuffer.allocate(pending.remaining() + more.length).put(pending).put(more).flip();
            }
            byte[] out = new byte[n];
            pending.get(out);
            return out;
        }

        void send(Message... messages) {
            for (Message m : messages) {
                channel.write(Unpooled.wrappedBuffer(WireCodec.encode(m)));
            }
            channel.flush();
        }

        void close() {
            channel.close().syncUninterruptibly();
        }
    }

    FakeBroker() throws Exception {
        SslContext tls = PpksTls.server(VerifyMode.AGENT)
                .defaultEntry(new TlsIdentity(List.of(Creds.AGENT_BOP_BRK), Creds.K_BRK), List.of())
                .build().context(Optional.empty()).orElseThrow();
        server = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Conn conn = new Conn(ch);
                        ch.pipeline().addLast(tls.newHandler(ch.alloc())).addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                accepted.add(conn);
                                ctx.fireChannelActive();
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf b = (ByteBuf) msg;
                                try {
                                    byte[] bytes = new byte[b.readableBytes()];
                                    b.readBytes(bytes);
                                    conn.chunks.add(bytes);
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
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    Conn accept() throws InterruptedException {
        Conn c = accepted.poll(RawClient.WAIT_SECONDS, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no client connected");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        server.close().sync();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
}
