package org.packetlab.broker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.packetlab.wire.Message;
import org.packetlab.wire.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's side of the broker connection (spec/agents.md §B.2): sends each request only
 * when the previous one has its {@code result}, completes each publication when its
 * {@code xpub} is accepted, and afterwards only watches the connection (anything the broker sends
 * then is logged and ignored, as by the reference manager). All methods run on the channel's event loop.
 */
final class PublisherHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(PublisherHandler.class);

    /** One request of a publication; {@code last} marks its xpub. */
    record Step(Message request, String label, CompletableFuture<Void> owner, boolean last) {}

    private final ArrayDeque<Step> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Step outstanding;
    private boolean ended;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Queues the steps of one publication behind those already queued. */
    void enqueue(List<Step> steps) {
        if (ended) {
            steps.get(0).owner().completeExceptionally(new IOException("the broker connection is closed"));
            return;
        }
        queue.addAll(steps);
        sendNext();
    }

    private void sendNext() {
        if (outstanding == null && !queue.isEmpty()) {
            outstanding = queue.poll();
            ctx.writeAndFlush(outstanding.request()).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.fireExceptionCaught(f.cause());
                }
            });
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            Step step = outstanding;
            if (step == null) {
                log.info("{}: unexpected {} from the broker after publishing, ignored", ctx.channel().remoteAddress(), msg);
                return;
            }
            if (!(msg instanceof Result r)) {
                fail(new IOException("broker sent " + msg + " where the result of " + step.label() + " was expected"));
                ctx.close();
                return;
            }
            outstanding = null;
            if (r.isOk()) {
                if (step.last()) {
                    step.owner().complete(null);
                }
            } else {
                log.info("{}: broker refused {} with errid {}", ctx.channel().remoteAddress(), step.label(), r.errid());
                step.owner().completeExceptionally(new BrokerRefusedException(step.label(), r.errid()));
                queue.removeIf(s -> s.owner() == step.owner());
            }
            sendNext();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended = true;
        fail(new IOException("the broker closed the connection"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SocketAddress peer = ctx.channel().remoteAddress();
        log.info("{}: broker connection failed: {}", peer, BrokerConnector.describe(cause));
        fail(new IOException("broker connection failed: " + BrokerConnector.describe(cause), cause));
        ctx.close();
    }

    /** Fails the outstanding and every queued publication. */
    private void fail(IOException e) {
        if (outstanding != null) {
            outstanding.owner().completeExceptionally(e);
            outstanding = null;
        }
        queue.forEach(s -> s.owner().completeExceptionally(e));
        queue.clear();
    }
}
