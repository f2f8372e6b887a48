package org.packetlab.portal;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Renders the portal's replies as HTTP responses: HTML pages for browsers; for API clients that
 * accept {@value #PEM} (such as {@link PortalClient}), the bare certificate or a one-line
 * text refusal. Every response ends its connection (one request per connection keeps answers in
 * request order without pipelining bookkeeping; the portal serves a handful of requests per user).
 *
 * <p>Reads pass through; the request head is noted to pick the format of its answer.
 */
final class PortalReplyEncoder extends ChannelDuplexHandler {
    /** The media type of PEM files, and the {@code Accept} that asks for the bare certificate. */
    static final String PEM = "application/x-pem-file";
    /** The response header naming the portal's policy (the privilege name it suggests). */
    static final String POLICY_HEADER = "X-PacketLab-Policy";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    /** Nothing but the page itself: no scripts, no external anything, inline styles only. */
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
            + " base-uri 'none'; frame-ancestors 'none'";

    private final PortalPages pages;
    private boolean wantsPem;
    private boolean formPost;

    PortalReplyEncoder(PortalPages pages) {
        this.pages = pages;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest r) {
            String accept = r.headers().get(HttpHeaderNames.ACCEPT, "");
            wantsPem = accept.contains(PEM) && !accept.contains("text/html");
            formPost = HttpMethod.POST.equals(r.method());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof PortalReply reply) {
            ChannelPromise p = promise.unvoid();
            ctx.write(render(ctx.alloc(), reply), p);
            p.addListener(f -> ConnectionEnding.begin(ctx.channel()));
        } else {
            ctx.write(msg, promise);
        }
    }

    /** The complete response for {@code reply}, in the format the current request asked for. */
    FullHttpResponse render(ByteBufAllocator alloc, PortalReply reply) {
        return switch (reply) {
            case PortalReply.Form f -> response(alloc, HttpResponseStatus.OK, HTML, pages.form(f.baseUrl()));
            case PortalReply.Issued i -> wantsPem
                    ? response(alloc, HttpResponseStatus.OK, PEM, i.cert().pem())
                    : response(alloc, HttpResponseStatus.OK, HTML, pages.issued(i.cert()));
            case PortalReply.Download d -> {
                FullHttpResponse r = response(alloc, HttpResponseStatus.OK, d.contentType(), d.body());
                r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + d.fileName() + "\"");
                yield r;
            }
            case PortalReply.Refused r -> refusal(alloc, r.status(), r.title(), r.message());
            case PortalReply.MethodNotAllowed m -> {
                FullHttpResponse r = refusal(alloc, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed",
                        m.path() + " answers " + m.allow() + " only, not " + m.method() + ".");
                r.headers().set(HttpHeaderNames.ALLOW, m.allow());
                yield r;
            }
            case PortalReply.TooManyRequests t -> {
                FullHttpResponse r = refusal(alloc, HttpResponseStatus.TOO_MANY_REQUESTS, "Too many requests",
                        "This portal is receiving more requests than its policy allows. Try again in " + t.retryAfterSeconds() + " seconds.");
                r.headers().set(HttpHeaderNames.RETRY_AFTER, t.retryAfterSeconds());
                yield r;
            }
        };
    }

    private FullHttpResponse refusal(ByteBufAllocator alloc, HttpResponseStatus status, String title, String message) {
        if (wantsPem) {
            return response(alloc, status, TEXT, status.code() + " " + title + ": " + message + "\n");
        }
        boolean signingRefused = formPost && status.code() != HttpResponseStatus.NOT_FOUND.code()
                && status.code() != HttpResponseStatus.METHOD_NOT_ALLOWED.code();
        return response(alloc, status, HTML, pages.refused(status.code(), title, message, signingRefused));
    }

    private FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, String type, String body) {
        return response(alloc, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private FullHttpResponse response(ByteBufAllocator alloc, HttpResponseStatus status, String type, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, alloc.buffer(body.length).writeBytes(body));
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set(POLICY_HEADER, pages.policyName());
        return r;
    }
}
