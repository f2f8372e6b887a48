package org.packetlab.lab;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.x server on a loopback address, the web target that lab mlets measure.
 *
 * <p>It serves {@code /} and {@code /index.html} ({@link #INDEX_PAGE}), {@code /bytes/N} (N
 * bytes, streamed as the client reads, N up to {@link #MAX_BULK_BYTES}), {@code /echo} (the
 * request line and headers as text) and 404 for anything else. It answers HTTP/1.0 requests
 * and ends the connection after the response, as the reference's {@code test_http_get}
 * expects (it reads until the peer closes), and keeps HTTP/1.1 connections alive. Request
 * lines over 4 KiB, headers over 8 KiB and anything unparsable are refused with a 4xx and
 * that connection ends; idle connections are closed after {@link Builder#idleTimeout}.
 *
 * <h2>The target must be closed</h2>
 * It holds a listening socket and an event-loop thread until {@link #close()}.
 */
public final class HttpTarget implements AutoCloseable {

    /** The page served at {@code /} and {@code /index.html}. */
    public static final String INDEX_PAGE = "<html><body><h1>Hello from the PacketLab lab target</h1></body></html>\n";
    /** The largest N of {@code /bytes/N}: 1 GiB. */
    public static final long MAX_BULK_BYTES = 1L << 30;

    private final LoopGroup loops;
    private final Channel server;
    private final ByteBuf bulkPattern;
    private final AtomicLong served;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpTarget(LoopGroup loops, Channel server, ByteBuf bulkPattern, AtomicLong served) {
        this.loops = loops;
        this.server = server;
        this.bulkPattern = bulkPattern;
        this.served = served;
    }

    /** Starts a target on {@code address} (loopback; port 0 picks a free port) with default settings. */
    public static HttpTarget start(InetSocketAddress address) throws IOException {
        return builder().address(address).start();
    }

    /** A builder with defaults: 127.0.0.1, an ephemeral port, a 30-second idle timeout. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the target listens on, with the port actually bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** How many responses, of any status, have been handed to the socket in full. */
    public long requestsServed() {
        return served.get();
    }

    /** Stops listening, closes every connection, and returns once its thread has ended. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close().awaitUninterruptibly();
            loops.shutdown();
            bulkPattern.release();
        }
    }

    // visible for testing
    boolean threadsEnded() {
        return loops.threadsEnded();
    }

    @Override
    public String toString() {
        return "HttpTarget[" + server.localAddress() + "]";
    }

    /** Settings of an {@link HttpTarget}; each setter checks its argument at once. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private Duration idleTimeout = Duration.ofSeconds(30);

        private Builder() {}

        /** Where to listen: a loopback address; port 0 picks a free port. */
        public Builder address(InetSocketAddress address) {
            this.address = Loopback.check(address);
            return this;
        }

        /** How long a connection may go without reads or completed writes before it is closed. */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout <= 0");
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Binds and starts serving. */
        public HttpTarget start() throws IOException {
            LoopGroup loops = new LoopGroup("pktlab-http-target", 1);
            ByteBuf bulkPattern = BulkBody.newPattern();
            AtomicLong served = new AtomicLong();
            ChannelFuture bound = new ServerBootstrap()
                    .group(loops.group())
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // room for several bulk chunks in flight keeps the socket busy
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                    .childHandler(new HttpTargetInitializer(idleTimeout, bulkPattern, served))
                    .bind(address)
                    .awaitUninterruptibly();
            if (!bound.isSuccess()) {
                loops.shutdown();
                bulkPattern.release();
                throw new IOException("cannot start the HTTP target on " + address + ": " + bound.cause().getMessage(), bound.cause());
            }
            return new HttpTarget(loops, bound.channel(), bulkPattern, served);
        }
    }
}
