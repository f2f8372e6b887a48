package org.packetlab.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one endpoint connection by the SNI of its ClientHello (spec/agents.md §A.8 3). Netty's
 * {@link AbstractSniHandler} buffers the ClientHello without consuming it (reassembled across
 * records, at most {@link #MAX_CLIENT_HELLO} bytes, within the ClientHello timeout) and holds
 * reads back while the lookup waits for a backlog connection. The lookup takes the most recently
 * registered idle backlog connection of the snikey and moves it onto this connection's event loop;
 * the router then replaces itself with a {@link RelayHandler}, and Netty hands it every byte buffered
 * so far, unchanged. No SNI, an unknown snikey or no backlog connection in time fail the lookup:
 * the {@link RoutingOutcomeHandler} after it closes the connection.
 */
final class SniRouter extends AbstractSniHandler<BacklogRegistry.Registration> {
    private static final Logger log = LoggerFactory.getLogger(SniRouter.class);
    /** Largest ClientHello buffered (a post-quantum key share makes it a few KiB). */
    static final int MAX_CLIENT_HELLO = 64 * 1024;

    private final BacklogRegistry registry;
    private final PendingSlot slot;
    private final ProxyCounters counters;
    private final Duration backlogWait;
    private Future<BacklogRegistry.Registration> pending;

    SniRouter(BacklogRegistry registry, PendingSlot slot, ProxyCounters counters, Duration clientHelloTimeout, Duration backlogWait) {
        super(MAX_CLIENT_HELLO, clientHelloTimeout.toMillis());
        this.registry = registry;
        this.slot = slot;
        this.counters = counters;
        this.backlogWait = backlogWait;
    }

    @Override
    protected Future<BacklogRegistry.Registration> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        if (clientHello == null) {
            return ctx.executor().newFailedFuture(new UnroutableException("not a TLS ClientHello"));
        }
        return super.lookup(ctx, clientHello);
    }

    @Override
    protected Future<BacklogRegistry.Registration> lookup(ChannelHandlerContext ctx, String hostname) {
        if (hostname == null) {
            return ctx.executor().newFailedFuture(new UnroutableException("no SNI in the ClientHello"));
        }
        if (!Snikey.isValid(hostname)) {
            return ctx.executor().newFailedFuture(new UnroutableException("SNI is not a snikey"));
        }
        EventLoop loop = ctx.channel().eventLoop();
        Promise<BacklogRegistry.Registration> onThisLoop = loop.newPromise();
        registry.take(new Snikey(hostname), loop, backlogWait).addListener((Future<BacklogRegistry.Registration> f) -> {
            if (f.isSuccess()) {
                moveTo(f.getNow(), loop, onThisLoop);
            } else {
                onThisLoop.tryFailure(f.cause());
            }
        });
        pending = onThisLoop;
        return onThisLoop;
    }

    /**
     * Moves the backlog connection onto {@code loop}, so that both halves of the relay run on one
     * thread as in Netty's HexDumpProxy: no task hand-over per chunk, no cross-thread close races.
     */
    private void moveTo(BacklogRegistry.Registration r, EventLoop loop, Promise<BacklogRegistry.Registration> done) {
        Channel backlog = r.channel();
        if (done.isDone()) {
            registry.giveBack(r); // the endpoint went away while the registry looked
            return;
        }
        if (backlog.eventLoop() == loop) {
            succeed(done, r);
            return;
        }
        backlog.deregister().addListener(d -> {
            if (!d.isSuccess()) {
                backlog.close();
                done.tryFailure(d.cause());
                return;
            }
            loop.register(backlog).addListener(g -> {
                if (g.isSuccess()) {
                    succeed(done, r);
                } else {
                    backlog.close();
                    done.tryFailure(g.cause());
                }
            });
        });
    }

    private void succeed(Promise<BacklogRegistry.Registration> done, BacklogRegistry.Registration r) {
        if (!done.trySuccess(r)) {
            registry.giveBack(r);
        }
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<BacklogRegistry.Registration> future) {
        pending = null;
        if (!future.isSuccess()) {
            return; // the SniCompletionEvent fired after this tells the RoutingOutcomeHandler to close
        }
        BacklogRegistry.Registration r = future.getNow();
        Channel endpoint = ctx.channel();
        Channel backlog = r.channel();
        if (!endpoint.isActive()) {
            registry.giveBack(r);
            return;
        }
        if (!backlog.isActive()) {
            counters.endpointsRefused.increment();
            log.info("endpoint {}: the backlog connection for snikey {} closed before the relay started", endpoint.remoteAddress(), hostname);
            ctx.close();
            return;
        }
        slot.release();
        counters.endpointsRouted.increment();
        log.debug("relaying endpoint {} to backlog connection {} of snikey {}", endpoint.remoteAddress(), backlog.remoteAddress(), hostname);
        RelayHandler.start(endpoint, backlog, counters);
        // Netty hands the relay every byte this decoder buffered, starting with the ClientHello record
        ctx.pipeline().replace(this, "relay", new RelayHandler(backlog, counters));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pending != null) {
            pending.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
