package org.packetlab.proxy;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.FrameTooLongException;
import org.packetlab.wire.Message;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xreg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one backlog connection on the setup port (spec/agents.md §A.8 2.1–2.4):
 *
 * <pre>
 *   manager                               proxy
 *     TLS 1.3 handshake (agent mode)  &lt;-&gt;
 *     xreg [0x80][len n][snikey]        --&gt;   policy, ownership, caps
 *                                       &lt;--   result [0x40][0 0 0]     (or a non-zero errid, then close)
 *     close_notify                      --&gt;   TLS is over: the same TCP stream now carries raw bytes
 * </pre>
 *
 * <p>At the manager's close_notify it removes the framing, itself and the {@link SslHandler}: the
 * bytes the TLS handler has buffered after the alert record are then passed to the
 * {@link PreambleExchangeHandler} that takes its place. The proxy sends no close_notify of its own:
 * the reference manager's preamble matcher would miss a preamble right after a record ending in
 * {@code P} (spec §A.7.2).
 *
 * <p>The whole registration, preambles included, must meet the {@link RegistrationDeadline}.
 */
final class RegistrationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RegistrationHandler.class);

    private enum Step { HANDSHAKE, XREG, CLOSE_NOTIFY, DONE }

    private final SslHandler ssl;
    private final Registrar registrar;
    private final PendingSlot slot;
    private final RegistrationDeadline deadline;
    private final ProxyCounters counters;
    private Step step = Step.HANDSHAKE;
    private Optional<Ed25519PublicKey> agent = Optional.empty();
    private BacklogRegistry.Registration registration;

    RegistrationHandler(SslHandler ssl, Registrar registrar, PendingSlot slot, RegistrationDeadline deadline, ProxyCounters counters) {
        this.ssl = ssl;
        this.registrar = registrar;
        this.slot = slot;
        this.deadline = deadline;
        this.counters = counters;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                refuse(ctx, "TLS handshake failed: " + Causes.describe(e.cause()));
                return;
            }
            agent = PpksTls.peerVerdict(ssl.engine().getSession()).map(v -> v.leaf()).map(Cert::subject);
            step = Step.XREG;
            deadline.phase("xreg");
        } else if (evt instanceof SslCloseCompletionEvent e) {
            if (step != Step.CLOSE_NOTIFY || !e.isSuccess()) {
                refuse(ctx, "TLS closed before a registration (" + step + ")");
            } else {
                switchToRaw(ctx);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (step == Step.XREG && msg instanceof Message m) {
                register(ctx, m);
            } else if (step == Step.CLOSE_NOTIFY) {
                refuse(ctx, "sent data after its xreg instead of close_notify");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void register(ChannelHandlerContext ctx, Message m) {
        if (!(m instanceof Xreg xreg)) {
            answer(ctx, Status.ECTLBADMSG, "sent " + m + " instead of xreg");
            return;
        }
        switch (registrar.admit(xreg.snikey(), agent, ctx.channel())) {
            case BacklogRegistry.Refusal r -> answer(ctx, r.status(), r.reason());
            case BacklogRegistry.Registration r -> {
                registration = r;
                step = Step.CLOSE_NOTIFY;
                deadline.phase("close_notify");
                ctx.writeAndFlush(Result.ok()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }

    /**
     * TLS is over: framing and codec go first (a partial frame they still hold comes back here and
     * refuses the connection), then this handler makes way for the preamble exchange, then the TLS
     * handler goes. Netty unlinks it at once, so the preamble written next leaves raw; as we run
     * inside its decode loop, it passes the bytes it still holds after the alert (raw ones) to the
     * preamble exchange when that loop returns.
     */
    private void switchToRaw(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        p.remove(PacketLabCodec.CODEC_HANDLER);
        p.remove(PacketLabCodec.FRAME_HANDLER);
        if (step != Step.CLOSE_NOTIFY) {
            return;
        }
        step = Step.DONE;
        PreambleExchangeHandler exchange = new PreambleExchangeHandler(registration, registrar.registry(), slot, deadline, counters);
        p.replace(this, "preamble", exchange);
        p.remove(ssl);
        exchange.sendPreamble(p.context(exchange));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (step != Step.DONE) {
            step = Step.DONE;
            counters.registrationsRefused.increment();
            log.debug("manager {} went away during its registration ({})", ctx.channel().remoteAddress(), step);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameTooLongException && step == Step.XREG) {
            answer(ctx, Status.ECTLBADMSG, Causes.describe(cause));
        } else {
            refuse(ctx, Causes.describe(cause));
        }
    }

    private void answer(ChannelHandlerContext ctx, Status status, String reason) {
        if (step == Step.DONE) {
            return;
        }
        step = Step.DONE;
        counters.registrationsRefused.increment();
        log.info("refused manager {}: {} ({})", ctx.channel().remoteAddress(), reason, status);
        ctx.writeAndFlush(Result.of(status)).addListener(ChannelFutureListener.CLOSE);
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        if (step == Step.DONE) {
            return;
        }
        step = Step.DONE;
        counters.registrationsRefused.increment();
        if (ctx.channel().isActive()) {
            log.info("refused manager {}: {}", ctx.channel().remoteAddress(), reason);
            ctx.close();
        } else {
            // whoever closed it (the deadline, the peer) has said why
            log.debug("manager {} closed: {}", ctx.channel().remoteAddress(), reason);
        }
    }
}
