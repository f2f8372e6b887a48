package org.packetlab.lab;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests of one connection, one at a time: the next request is read only once
 * the previous response has been handed to the socket, so a peer that does not read its
 * responses stops being read (auto-read is off on these channels).
 */
final class HttpTargetHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final Logger log = LoggerFactory.getLogger(HttpTargetHandler.class);
    private static final String SERVER = "PacketLab-lab";
    /** How long a connection we finished with may go on sending before we close it regardless. */
    private static final long LINGER_MILLIS = 2000;

    private final ByteBuf bulkPattern;
    private final AtomicLong served;
    private int unfinished;
    private boolean ending;

    HttpTargetHandler(ByteBuf bulkPattern, AtomicLong served) {
        this.bulkPattern = bulkPattern;
        this.served = served;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (ending) {
            return;
        }
        if (msg.decoderResult().isFailure()) {
            refuse(ctx, msg);
        } else if (msg instanceof HttpRequest request) {
            respond(ctx, request);
        }
        // request body content is dropped: no route takes a body
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unfinished == 0 || ending) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request) {
        HttpVersion version = HttpVersion.HTTP_1_0.equals(request.protocolVersion()) ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        switch (HttpTargetRoutes.route(request)) {
            case HttpTargetRoutes.Page page -> send(ctx, page(version, page), null, keepAlive);
            case HttpTargetRoutes.Bulk bulk -> {
                HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.OK);
                head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
                HttpUtil.setContentLength(head, bulk.length());
                send(ctx, head, new HttpChunkedInput(new BulkBody(bulkPattern, bulk.length())), keepAlive);
            }
        }
    }

    private void refuse(ChannelHandlerContext ctx, HttpObject msg) {
        Throwable cause = msg.decoderResult().cause();
        if (!ctx.channel().isActive()) {
            // the decoder's last word on a connection that is already gone: nobody to answer
            log.debug("{} closed inside a request: {}", ctx.channel().remoteAddress(), cause.getMessage());
            return;
        }
        log.info("{} bad request: {}", ctx.channel().remoteAddress(), cause.getMessage());
        if (!(msg instanceof HttpRequest)) {
            // the request line and headers were fine and are being answered; only its body broke
            ctx.close();
            return;
        }
        HttpResponseStatus status = switch (cause) {
            case TooLongHttpLineException e -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case TooLongHttpHeaderException e -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            default -> HttpResponseStatus.BAD_REQUEST;
        };
        send(ctx, page(HttpVersion.HTTP_1_1, HttpTargetRoutes.refusal(status, cause.getMessage())), null, false);
    }

    private static HttpResponse page(HttpVersion version, HttpTargetRoutes.Page page) {
        HttpResponse r = new DefaultFullHttpResponse(version, page.status(), Unpooled.wrappedBuffer(page.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, page.contentType());
        HttpUtil.setContentLength(r, page.body().length);
        return r;
    }

    /** Writes a response head (or whole response) and its streamed body, if any. */
    private void send(ChannelHandlerContext ctx, HttpResponse head, HttpChunkedInput body, boolean keepAlive) {
        head.headers().set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        HttpUtil.setKeepAlive(head, keepAlive);
        unfinished++;
        ChannelFuture last;
        if (body == null) {
            last = ctx.writeAndFlush(head);
        } else {
            ctx.write(head);
            last = ctx.writeAndFlush(body);
        }
        last.addListener(f -> {
            unfinished--;
            if (!f.isSuccess()) {
                log.debug("{} response not delivered: {}", ctx.channel().remoteAddress(), f.cause().toString());
                ctx.close();
            } else {
                served.incrementAndGet();
                if (!keepAlive) {
                    end(ctx);
                } else if (unfinished == 0) {
                    ctx.read();
                }
            }
        });
    }

    /**
     * Ends a connection after its last response: half-close so the peer reads everything up to
     * EOF, go on reading and dropping what it still sends (closing with unread input would reset
     * the connection and could destroy the response in flight), and close when it closes or
     * after a grace period.
     */
    private void end(ChannelHandlerContext ctx) {
        if (ending) {
            return;
        }
        ending = true;
        ((DuplexChannel) ctx.channel()).shutdownOutput().addListener(f -> ctx.read());
        ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.debug("{} idle: closing", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("{} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("{} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }
}
