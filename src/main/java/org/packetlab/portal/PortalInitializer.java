package org.packetlab.portal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * The pipeline of one portal connection, top to bottom: read timeout, HTTP codec, rendering of
 * replies, aggregation (size limit), routing, form decoding, issuing. A connection also has a hard
 * deadline, so a peer trickling a request byte by byte cannot hold it for long.
 */
final class PortalInitializer extends ChannelInitializer<SocketChannel> {
    static final int READ_TIMEOUT_SECONDS = 20;
    static final int DEADLINE_SECONDS = 60;
    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADER_BYTES = 8192;

    private final PortalPages pages;
    private final Ed25519PublicKey operatorKey;
    private final IssuanceLog issuanceLog;
    private final IssuanceHandler issuance;

    PortalInitializer(PortalPages pages, Ed25519PublicKey operatorKey, IssuanceLog issuanceLog, IssuanceHandler issuance) {
        this.pages = pages;
        this.operatorKey = operatorKey;
        this.issuanceLog = issuanceLog;
        this.issuance = issuance;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var deadline = ch.eventLoop().schedule(() -> ch.close(), DEADLINE_SECONDS, TimeUnit.SECONDS);
        ch.closeFuture().addListener(f -> deadline.cancel(false));
        PortalReplyEncoder render = new PortalReplyEncoder(pages);
        ch.pipeline()
                .addLast("timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(MAX_REQUEST_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)))
                .addLast("render", render)
                .addLast("aggregate", new PortalAggregator(render))
                .addLast("route", new PortalRouter(operatorKey, issuanceLog))
                .addLast("form", new SignFormDecoder())
                .addLast("issue", issuance);
    }
}
