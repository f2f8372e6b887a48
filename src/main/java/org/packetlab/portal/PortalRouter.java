package org.packetlab.portal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.packetlab.ppks.Ed25519PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request: {@code GET /} (the form), {@code GET /operator.pub},
 * {@code GET /certs/SERIAL.cert} are answered here; {@code POST /sign} goes on to the form decoder;
 * anything else is a 404 or 405. Requests the codec could not parse get a 400 (414, 431 when too
 * long). One request per connection: any request after the first is dropped, since the
 * connection ends with the first answer.
 */
final class PortalRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(PortalRouter.class);
    private static final Pattern CERT_PATH = Pattern.compile("/certs/([0-9a-f]{1,40})\\.cert");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:\\d{1,5})?");

    private final Ed25519PublicKey operatorKey;
    private final IssuanceLog issued;
    private boolean routed;

    PortalRouter(Ed25519PublicKey operatorKey, IssuanceLog issued) {
        this.operatorKey = operatorKey;
        this.issued = issued;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (routed) {
            return;
        }
        routed = true;
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            log.info("{} unparsable request: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.writeAndFlush(switch (cause) {
                case TooLongHttpLineException e -> new PortalReply.Refused(HttpResponseStatus.REQUEST_URI_TOO_LONG,
                        "Address too long", "The request line is longer than this portal reads.");
                case TooLongHttpHeaderException e -> new PortalReply.Refused(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "Headers too large", "The request headers are larger than this portal reads.");
                default -> PortalReply.Refused.badRequest("Bad request", "The request is not valid HTTP.");
            });
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).path();
        } catch (IllegalArgumentException e) {
            ctx.writeAndFlush(PortalReply.Refused.badRequest("Bad address", "The address of the request is not valid."));
            return;
        }
        HttpMethod method = request.method();
        switch (path) {
            case "/" -> {
                if (allowed(ctx, method, path, HttpMethod.GET)) {
                    ctx.writeAndFlush(new PortalReply.Form(baseUrl(ctx, request)));
                }
            }
            case "/" + PortalPages.OPERATOR_KEY_FILE -> {
                if (allowed(ctx, method, path, HttpMethod.GET)) {
                    ctx.writeAndFlush(new PortalReply.Download(PortalPages.OPERATOR_KEY_FILE, PortalReplyEncoder.PEM,
                            operatorKey.pem().getBytes(StandardCharsets.US_ASCII)));
                }
            }
            case "/sign" -> {
                if (allowed(ctx, method, path, HttpMethod.POST)) {
                    ctx.fireChannelRead(request.retain());
                }
            }
            default -> {
                var m = CERT_PATH.matcher(path);
                if (!m.matches()) {
                    ctx.writeAndFlush(new PortalReply.Refused(HttpResponseStatus.NOT_FOUND, "Not found",
                            "There is no page " + abbreviate(path) + " on this portal."));
                } else if (allowed(ctx, method, path, HttpMethod.GET)) {
                    String serial = m.group(1);
                    ctx.writeAndFlush(issued.certificate(serial).<PortalReply>map(cert -> new PortalReply.Download(serial + ".cert",
                                    PortalReplyEncoder.PEM, cert.pem().getBytes(StandardCharsets.US_ASCII)))
                            .orElseGet(() -> new PortalReply.Refused(HttpResponseStatus.NOT_FOUND, "No such certificate",
                                    "This portal issued no certificate with serial " + serial + ".")));
                }
            }
        }
    }

    private static boolean allowed(ChannelHandlerContext ctx, HttpMethod method, String path, HttpMethod allowed) {
        if (allowed.equals(method)) {
            return true;
        }
        ctx.writeAndFlush(new PortalReply.MethodNotAllowed(abbreviate(method.name()), path, allowed.name()));
        return false;
    }

    /** This portal's address as the client called it (the Host header when it is a plain host), else the socket's. */
    private static String baseUrl(ChannelHandlerContext ctx, FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        if (!HOST.matcher(host).matches()) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            host = io.netty.util.NetUtil.toSocketAddressString(local);
        }
        return "http://" + host + "/";
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "\u2026";
    }
}
