package org.packetlab.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xnotify;

/**
 * One subscription attempt of a {@link BrokerSubscriber} (spec/agents.md §C.2.4–5): after the
 * handshake it sends every {@code xcert} and the {@code xsub} at once (pipelined), expects one
 * successful {@code result} per request and nothing else before the last one, then passes every
 * {@code xnotify} on. Anything else ends the attempt, with the reason, by closing.
 */
final class SubscriberHandler extends ChannelInboundHandlerAdapter {

    /** What the subscriber learns from one attempt; called on its event loop. */
    interface Events {
        void subscribed();

        void notified(Xnotify notification);

        /** The connection ended; {@code reason} says why. */
        void ended(String reason);
    }

    private final Subscription subscription;
    private final Events events;
    private int awaiting = -1;
    private String failure;

    SubscriberHandler(Subscription subscription, Events events) {
        this.subscription = subscription;
        this.events = events;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                for (Xcert x : subscription.xcerts()) {
                    ctx.write(x);
                }
                ctx.writeAndFlush(subscription.xsub());
                awaiting = subscription.chain().size() + 1;
            } else {
                fail(ctx, "TLS handshake with the broker failed: " + BrokerConnector.describe(e.cause()));
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (awaiting > 0) {
                if (!(msg instanceof Result r)) {
                    fail(ctx, "broker sent " + msg + " before the last result");
                } else if (!r.isOk()) {
                    fail(ctx, "broker refused " + request() + " with " + Status.nameOf(r.errid()));
                } else if (--awaiting == 0) {
                    events.subscribed();
                }
            } else if (awaiting == 0 && msg instanceof Xnotify n) {
                events.notified(n);
            } else {
                fail(ctx, "broker sent " + msg + (awaiting == 0 ? " after subscribing" : " before any request"));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The request the next result answers. */
    private String request() {
        int answered = subscription.chain().size() + 1 - awaiting;
        return answered < subscription.chain().size()
                ? "xcert " + (answered + 1) + " of " + subscription.chain().size() : "xsub";
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "broker connection failed: " + BrokerConnector.describe(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        events.ended(failure != null ? failure
                : awaiting == 0 ? "the broker closed the connection" : "the broker closed the connection before the subscription was answered");
        ctx.fireChannelInactive();
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (failure == null) {
            failure = reason;
        }
        awaiting = -2;
        ctx.close();
    }
}
