package org.packetlab.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one connection to the endpoint port: the SNI router, which waits (bounded in
 * size and time) for the ClientHello and replaces itself with a relay, then the handler that closes
 * the connection when routing fails. Connections beyond the cap of endpoints waiting for a
 * ClientHello or a backlog connection are closed at once.
 */
final class EndpointInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(EndpointInitializer.class);

    private final BacklogRegistry registry;
    private final ChannelGroup channels;
    private final ProxyCounters counters;
    private final int maxPending;
    private final Duration clientHelloTimeout;
    private final Duration backlogWait;
    /** Set while the cap is reached, so a flood logs one line when it starts, not one per connection. */
    private final AtomicBoolean full = new AtomicBoolean();

    EndpointInitializer(BacklogRegistry registry, ChannelGroup channels, ProxyCounters counters, int maxPending,
            Duration clientHelloTimeout, Duration backlogWait) {
        this.registry = registry;
        this.channels = channels;
        this.counters = counters;
        this.maxPending = maxPending;
        this.clientHelloTimeout = clientHelloTimeout;
        this.backlogWait = backlogWait;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        PendingSlot slot = PendingSlot.acquire(counters.pendingEndpoints, maxPending);
        if (slot == null) {
            counters.endpointsRefused.increment();
            if (full.compareAndSet(false, true)) {
                log.warn("refusing endpoint connections (first: {}): {} already wait for a ClientHello or a backlog connection",
                        ch.remoteAddress(), maxPending);
            }
            ch.close();
            return;
        }
        if (full.compareAndSet(true, false)) {
            log.info("accepting endpoint connections again");
        }
        ch.closeFuture().addListener(f -> slot.release());
        ch.pipeline()
                .addLast("sni", new SniRouter(registry, slot, counters, clientHelloTimeout, backlogWait))
                .addLast("routing", new RoutingOutcomeHandler(counters));
    }
}
