package org.packetlab.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.Map;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the server identity by the ClientHello's SNI (the snikey) and replaces itself with that
 * entry's {@link SslHandler}; an unknown or invalid SNI, or no SNI without a default entry, closes
 * the connection (spec/agents.md §0.5). The outcome is also fired as an
 * {@link io.netty.handler.ssl.SniCompletionEvent}.
 *
 * <h2>Pitfalls</h2>
 * Netty's ClientHello parser lower-cases the host name and treats a malformed server_name
 * extension as "no SNI", so such a client gets the default entry where the reference aborts.
 */
final class PpksSniHandler extends AbstractSniHandler<SslContext> {
    private static final Logger log = LoggerFactory.getLogger(PpksSniHandler.class);
    /** Largest ClientHello we buffer before choosing (a PacketLab ClientHello is well under 2 KiB). */
    private static final int MAX_CLIENT_HELLO = 16 * 1024;

    private final Map<String, SslContext> entries;
    private final SslContext defaultEntry;
    private final long handshakeTimeoutMillis;
    private final long createdNanos = System.nanoTime();
    /** Set once the connection is refused: the decoder may look at the same ClientHello again while closing. */
    private boolean refused;

    /** {@code handshakeTimeoutMillis} bounds the wait for the ClientHello and the handshake after it, together. */
    PpksSniHandler(Map<String, SslContext> entries, SslContext defaultEntry, long handshakeTimeoutMillis) {
        super(MAX_CLIENT_HELLO, handshakeTimeoutMillis);
        this.entries = entries;
        this.defaultEntry = defaultEntry;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) {
        SslContext chosen = hostname == null ? defaultEntry : Snikey.isValid(hostname) ? entries.get(hostname) : null;
        if (chosen == null) {
            String why = hostname == null ? "no SNI and no default entry" : "unknown SNI \"" + printable(hostname) + "\"";
            return ctx.executor().newFailedFuture(new UnknownSniException(why));
        }
        return ctx.executor().newSucceededFuture(chosen);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<SslContext> future) {
        if (!future.isSuccess()) {
            if (!refused) {
                refused = true;
                log.info("refused TLS connection from {}: {}", ctx.channel().remoteAddress(), future.cause().getMessage());
                ctx.close();
            }
            return;
        }
        SslHandler ssl = future.getNow().newHandler(ctx.alloc());
        long elapsedMillis = (System.nanoTime() - createdNanos) / 1_000_000;
        ssl.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis - elapsedMillis));
        try {
            ctx.pipeline().replace(this, "ssl", ssl);
        } catch (RuntimeException e) {
            // the handler never entered the pipeline, so nobody else will free its engine
            io.netty.util.ReferenceCountUtil.safeRelease(ssl.engine());
            throw e;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The ClientHello named no entry of this server. */
    static final class UnknownSniException extends Exception {
        UnknownSniException(String message) {
            super(message);
        }
    }
}
