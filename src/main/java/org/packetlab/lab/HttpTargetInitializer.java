package org.packetlab.lab;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The pipeline of one HTTP target connection: idle timeout, HTTP/1.x codec, streamed bodies, the target. */
final class HttpTargetInitializer extends ChannelInitializer<SocketChannel> {

    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;

    private final Duration idleTimeout;
    private final ByteBuf bulkPattern;
    private final AtomicLong served;

    HttpTargetInitializer(Duration idleTimeout, ByteBuf bulkPattern, AtomicLong served) {
        this.idleTimeout = idleTimeout;
        this.bulkPattern = bulkPattern;
        this.served = served;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast("idle", new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS))
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        .setMaxChunkSize(BulkBody.CHUNK)))
                .addLast("chunks", new ChunkedWriteHandler())
                .addLast("target", new HttpTargetHandler(bulkPattern, served));
    }
}
