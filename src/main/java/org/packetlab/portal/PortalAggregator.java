package org.packetlab.portal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Collects a request and its body, up to {@link #MAX_REQUEST_BYTES}; a larger one is answered with
 * a 413 page and its connection ends, before the rest of it is read. A CSR is under 1 KiB; the
 * limit only leaves room for form overhead.
 */
final class PortalAggregator extends HttpObjectAggregator {
    /** The largest request body accepted. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final PortalReplyEncoder encoder;

    PortalAggregator(PortalReplyEncoder encoder) {
        super(MAX_REQUEST_BYTES, true);
        this.encoder = encoder;
    }

    private static PortalReply tooLarge() {
        return new PortalReply.Refused(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Upload too large",
                "A request may be at most " + MAX_REQUEST_BYTES / 1024 + " KiB; a certificate request is well under 1 KiB."
                        + " Choose the .csr file that pktlab init made.");
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(tooLarge());
    }

    /** A client that announces an oversized body and waits for "100 Continue" gets the 413 page instead. */
    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            var r = encoder.render(pipeline.channel().alloc(), tooLarge());
            r.headers().set(HttpHeaderNames.CONNECTION, "close");
            return r;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }
}
