package org.packetlab.broker;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.FrameTooLongException;
import org.packetlab.wire.Message;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.TruncatedFrameException;
import org.packetlab.wire.WireCodec;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xsub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's session with one client (spec/broker.md §3–§8): answers each {@code xcert},
 * {@code xpub} and {@code xsub} with exactly one {@code result}, in request order; the first
 * {@code xpub} or {@code xsub} fixes the connection's role. Validation lives in
 * {@link PublicationCheck} and {@link SubscriptionCheck}, storage and notification in
 * {@link PublicationStore}; this handler sequences them.
 *
 * <p>Requests are handled one at a time from a small backlog. While a refusal is held back (the
 * broker's refusal delay, which keeps reconnecting clients out of a hot loop) reading stops and
 * later requests wait, so answers never overtake each other.
 */
final class BrokerSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BrokerSessionHandler.class);

    private enum Role { NONE, PUBLISHER, SUBSCRIBER }

    /** An oversize frame, answered in its turn behind the requests before it. */
    private record Oversize(String reason) {}

    private final BrokerSettings settings;
    private final PublicationStore store;
    private final CertPool pool;
    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private Role role = Role.NONE;
    private boolean subscribed;
    private boolean paused;
    private boolean closing;
    private boolean dropped;
    private Ed25519PublicKey clientKey;

    BrokerSessionHandler(BrokerSettings settings, PublicationStore store) {
        this.settings = settings;
        this.store = store;
        this.pool = new CertPool(settings.maxCertificates());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                drop(ctx, "TLS handshake failed: " + reason(e.cause()));
            } else if (!settings.policy().admits(clientKey(ctx))) {
                drop(ctx, "agent key " + clientKey.keyId().hex() + " is not admitted by the broker's policy");
            }
        } else if (evt instanceof IdleStateEvent) {
            drop(ctx, "no complete request within " + settings.setupTimeout().toMillis() + " ms before publishing or subscribing");
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        backlog.add(msg);
        if (paused && backlog.size() > settings.maxCertificates() + 2) {
            drop(ctx, "more than " + backlog.size() + " requests pipelined while a refusal is pending");
            return;
        }
        drain(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameTooLongException e) {
            backlog.add(new Oversize(e.getMessage()));
            drain(ctx);
        } else if (cause instanceof TruncatedFrameException) {
            drop(ctx, "connection ended inside a message");
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            drop(ctx, "TLS: " + reason(cause.getCause()));
        } else if (cause instanceof IOException) {
            log.debug("{}: connection error: {}", peer(ctx), cause.toString());
            closing = true;
            ctx.close();
        } else {
            log.warn("{}: closing after an unexpected error", peer(ctx), cause);
            drop(ctx, "internal error: " + cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        store.connectionClosed(ctx.channel());
        backlog.forEach(ReferenceCountUtil::release);
        backlog.clear();
        ctx.fireChannelInactive();
    }

    private void drain(ChannelHandlerContext ctx) {
        Object next;
        while (!paused && !closing && (next = backlog.poll()) != null) {
            try {
                handle(ctx, next);
            } finally {
                ReferenceCountUtil.release(next);
            }
        }
        ctx.channel().config().setAutoRead(!paused);
    }

    private void handle(ChannelHandlerContext ctx, Object item) {
        switch (item) {
            case Oversize o -> refuse(ctx, "frame", Refusal.of(Status.ECTLBADMSG, o.reason()));
            case Xcert x -> certificate(ctx, x);
            case Xpub x -> publish(ctx, x);
            case Xsub x -> subscribe(ctx, x);
            case Raw r when r.malformed() -> refuse(ctx, "message", Refusal.of(Status.ECTLBADMSG, "malformed: " + r.reason()));
            case Raw r -> refuse(ctx, "message", Refusal.of(Status.ECTLNOTSUP, r.reason()));
            case Message m -> refuse(ctx, m.type().toString(), Refusal.of(Status.ECTLNOTSUP, m.type() + " is not a broker request"));
            default -> throw new IllegalStateException("not a message: " + item.getClass().getName());
        }
    }

    private void certificate(ChannelHandlerContext ctx, Xcert x) {
        if (subscribed) {
            refuse(ctx, "xcert", Refusal.of(Status.ECTLNOTSUP, "nothing is accepted after a subscription"));
            return;
        }
        Refusal r = pool.add(x.der());
        if (r == null) {
            ctx.writeAndFlush(Result.ok());
        } else {
            refuse(ctx, "xcert", r);
        }
    }

    private void publish(ChannelHandlerContext ctx, Xpub x) {
        if (role == Role.SUBSCRIBER) {
            refuse(ctx, "xpub", Refusal.of(Status.ECTLNOTSUP, "this connection subscribes; it cannot also publish"));
            return;
        }
        if (tooLong(ctx, "xpub", x)) {
            return;
        }
        role = Role.PUBLISHER;
        switch (PublicationCheck.check(x, pool, clientKey(ctx), settings)) {
            case Checked.Refused<PublicationCheck.Offer> r -> refuse(ctx, "xpub", r.refusal());
            case Checked.Ok<PublicationCheck.Offer> ok -> {
                Optional<Refusal> full = store.publish(ctx.channel(), clientKey.keyId(), ok.value());
                if (full.isPresent()) {
                    refuse(ctx, "xpub", full.get());
                } else {
                    ctx.writeAndFlush(Result.ok());
                    setupDone(ctx);
                }
            }
        }
    }

    private void subscribe(ChannelHandlerContext ctx, Xsub x) {
        if (role == Role.PUBLISHER) {
            refuse(ctx, "xsub", Refusal.of(Status.ECTLNOTSUP, "this connection publishes; it cannot also subscribe"));
            return;
        }
        if (subscribed) {
            refuse(ctx, "xsub", Refusal.of(Status.ECTLNOTSUP, "a second xsub on one connection"));
            return;
        }
        if (tooLong(ctx, "xsub", x)) {
            return;
        }
        role = Role.SUBSCRIBER;
        switch (SubscriptionCheck.check(x, pool, clientKey(ctx), settings)) {
            case Checked.Refused<SubscriptionCheck.Interest> r -> refuse(ctx, "xsub", r.refusal());
            case Checked.Ok<SubscriptionCheck.Interest> ok -> {
                // the store writes the result and the catch-up itself, in that order
                Optional<Refusal> full = store.subscribe(ctx.channel(), clientKey.keyId(), ok.value());
                if (full.isPresent()) {
                    refuse(ctx, "xsub", full.get());
                } else {
                    subscribed = true;
                    setupDone(ctx);
                }
            }
        }
    }

    private boolean tooLong(ChannelHandlerContext ctx, String what, Message m) {
        int body = WireCodec.encodedLength(m) - WireCodec.HEADER_LENGTH;
        if (body <= settings.maxRequestBytes()) {
            return false;
        }
        refuse(ctx, what, Refusal.of(Status.ECTLBADMSG, what + " of " + body + " bytes exceeds " + settings.maxRequestBytes()));
        return true;
    }

    /** No timeout once published or subscribed: publishers stay silent for months (spec/broker.md §2.6). */
    private void setupDone(ChannelHandlerContext ctx) {
        if (ctx.pipeline().get(BrokerInitializer.SETUP_TIMEOUT) != null) {
            ctx.pipeline().remove(BrokerInitializer.SETUP_TIMEOUT);
        }
    }

    /**
     * Answers a request with a non-zero result, after the refusal delay. ECTLBADMSG also ends the
     * connection: after a malformed or oversize message nothing that follows can be trusted.
     */
    private void refuse(ChannelHandlerContext ctx, String what, Refusal r) {
        boolean close = r.status() == Status.ECTLBADMSG;
        log.info("{}: refused {} with {}{}: {}", peer(ctx), what, r.status(), close ? " and closing" : "", r.reason());
        settings.listener().refused(ctx.channel().remoteAddress(), r.status(), r.reason());
        long delay = settings.refusalDelay().toNanos();
        if (close) {
            closing = true;
        }
        if (delay == 0) {
            answer(ctx, r, close);
            return;
        }
        paused = true;
        ctx.executor().schedule(() -> {
            answer(ctx, r, close);
            paused = false;
            drain(ctx);
        }, delay, TimeUnit.NANOSECONDS);
    }

    private static void answer(ChannelHandlerContext ctx, Refusal r, boolean close) {
        var written = ctx.writeAndFlush(Result.of(r.status()));
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Closes the connection on the broker's initiative, once, with one log line. */
    private void drop(ChannelHandlerContext ctx, String reason) {
        if (dropped) {
            return;
        }
        dropped = true;
        closing = true;
        log.info("{}: closing: {}", peer(ctx), reason);
        settings.listener().dropped(ctx.channel().remoteAddress(), reason);
        ctx.close();
    }

    /** The client's agent key: the subject of the agent certificate its TLS handshake verified (§2.5). */
    private Ed25519PublicKey clientKey(ChannelHandlerContext ctx) {
        if (clientKey == null) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            clientKey = PpksTls.peerVerdict(ssl.engine().getSession())
                    .orElseThrow(() -> new IllegalStateException("TLS session without a verified client certificate"))
                    .leaf().subject();
        }
        return clientKey;
    }

    private String peer(ChannelHandlerContext ctx) {
        String addr = String.valueOf(ctx.channel().remoteAddress());
        return clientKey == null ? addr : addr + " (agent " + clientKey.keyId().hex().substring(0, 16) + ")";
    }

    private static String reason(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }
}
