package org.packetlab.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import javax.net.ssl.SSLException;
import org.packetlab.wire.Message;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xreg;

/**
 * The manager's side of a registration (spec/agents.md §A.7.2): after the TLS handshake it sends
 * {@code xreg} with its snikey, reads the {@code result}, and on success sends close_notify once
 * (the proxy's is not awaited) and turns the connection into raw bytes for the
 * {@link PreambleScanner}.
 *
 * <p>The result is read without reading past it: the TLS handler decrypts one record at a time, and
 * it leaves the pipeline inside the decode of the record that carried the result, so the bytes it
 * holds after that record reach the scanner as they came off the wire.
 */
final class RegistrationClientHandler extends ChannelInboundHandlerAdapter {
    private final SslHandler ssl;
    private final BacklogConnection conn;

    RegistrationClientHandler(SslHandler ssl, BacklogConnection conn) {
        this.ssl = ssl;
        this.conn = conn;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (!e.isSuccess()) {
                conn.fail("TLS with the proxy failed: " + Causes.describe(e.cause()), false);
                return;
            }
            conn.enter(BacklogState.XREG_SEND);
            ctx.writeAndFlush(Xreg.of(conn.snikey())).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    conn.enter(BacklogState.RESULT_RECV);
                } else {
                    conn.fail("sending xreg failed: " + Causes.describe(f.cause()), false);
                }
            });
        } else if (evt instanceof SslCloseCompletionEvent) {
            conn.fail("the proxy closed TLS before its result", false);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (conn.isOver()) {
                return;
            }
            switch (msg) {
                case Result r when r.isOk() -> switchToRaw(ctx);
                case Result r -> conn.fail("the proxy refused snikey " + conn.snikey() + ": result " + Status.nameOf(r.errid()), false);
                case Message m -> conn.fail("the proxy sent " + m + " instead of a result", false);
                default -> conn.fail("the proxy sent data after its result", false);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void switchToRaw(ChannelHandlerContext ctx) {
        conn.enter(BacklogState.PREAMBLE_RECV);
        ssl.closeOutbound();
        ChannelPipeline p = ctx.pipeline();
        p.remove(PacketLabCodec.CODEC_HANDLER);
        p.remove(PacketLabCodec.FRAME_HANDLER); // a partial frame it held comes back here and fails the attempt
        if (conn.isOver()) {
            return;
        }
        p.replace(this, "preamble", new PreambleScanner(conn));
        p.remove(ssl);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean tls = false;
        for (Throwable t = cause; t != null && !tls; t = t.getCause()) {
            tls = t instanceof SSLException;
        }
        // in TLS 1.3 a proxy refuses the manager's certificate only after the manager's handshake is done
        conn.fail((tls ? "TLS with the proxy failed: " : "") + Causes.describe(cause), false);
    }
}
