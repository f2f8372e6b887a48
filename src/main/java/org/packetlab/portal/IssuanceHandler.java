package org.packetlab.portal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each signing request to the {@link Issuer} on the issuing thread (signing forces the log to
 * disk, which must not block the event loop) after the rate limit, and writes the answer back.
 * The last handler of the pipeline: it also ends connections that fail.
 */
@ChannelHandler.Sharable
final class IssuanceHandler extends SimpleChannelInboundHandler<SignForm> {
    private static final Logger log = LoggerFactory.getLogger(IssuanceHandler.class);

    private final Issuer issuer;
    private final RateLimiter rateLimiter;
    private final ExecutorService issuing;

    IssuanceHandler(Issuer issuer, RateLimiter rateLimiter, ExecutorService issuing) {
        this.issuer = issuer;
        this.rateLimiter = rateLimiter;
        this.issuing = issuing;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SignForm form) {
        long wait = rateLimiter.acquire();
        if (wait > 0) {
            log.info("{} refused: rate limit", form.requester());
            ctx.writeAndFlush(new PortalReply.TooManyRequests(wait));
            return;
        }
        try {
            issuing.execute(() -> ctx.writeAndFlush(answer(form)));
        } catch (RejectedExecutionException e) {
            ctx.writeAndFlush(new PortalReply.Refused(HttpResponseStatus.SERVICE_UNAVAILABLE, "Shutting down",
                    "The portal is stopping; nothing was signed."));
        }
    }

    private PortalReply answer(SignForm form) {
        try {
            return issuer.issue(form);
        } catch (IOException | RuntimeException e) {
            log.error("{} not issued: {}", form.requester(), e.toString(), e);
            return new PortalReply.Refused(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Not issued",
                    "The portal could not sign or record the certificate; nothing was issued. The operator can see why in its log.");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException || cause instanceof IOException) {
            log.debug("{} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("{} closed: {}", ctx.channel().remoteAddress(), cause.toString(), cause);
        }
        ctx.close();
    }
}
