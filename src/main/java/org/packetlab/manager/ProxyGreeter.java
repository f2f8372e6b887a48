package org.packetlab.manager;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.packetlab.proxy.BacklogPool;
import org.packetlab.wire.Snikey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxy-mode greeting (spec/agents.md §A.7): a {@link BacklogPool} keeps backlog connections
 * registered with the proxy for every identity's snikey, on the manager's session event loops. When
 * an endpoint's ClientHello arrives on one, the connection is admitted by the current run exactly
 * as an accepted one is ({@link Manager#admit}) and gets the pipeline of {@link ManagerInitializer};
 * its remote address, the proxy's, is the endpoint's EPADDR (§A.7.6). Between runs and once the run
 * has no free slot the pool stops reading, so endpoints wait at the proxy as they would in a listen
 * backlog. A proxy that disappears is retried with back-off until it is back; the manager tells
 * the current run both events.
 */
final class ProxyGreeter implements Greeter {
    private static final Logger log = LoggerFactory.getLogger(ProxyGreeter.class);

    private final BacklogPool pool;
    private final InetSocketAddress proxy;
    private volatile boolean open = true;

    /**
     * Registers with the proxy and waits for the bootstrap (§A.7.5).
     *
     * @throws IOException when no snikey got a backlog connection within the bootstrap timeout, or
     *                     the agent identity cannot make a TLS context
     */
    ProxyGreeter(EventLoops loops, Manager manager, ManagerInitializer initializer, ProxySettings settings,
                 InetSocketAddress proxy, List<Snikey> snikeys) throws IOException {
        this.proxy = proxy;
        BacklogPool.Builder b = BacklogPool.builder()
                .proxy(proxy)
                .snikeys(snikeys)
                .proxyRoots(settings.proxyRoots())
                .target(settings.target())
                .connTimeout(settings.connTimeout())
                .bootstrapTimeout(settings.bootstrapTimeout())
                .eventLoopGroup(loops.sessions)
                .listener(new BacklogPool.Listener() {
                    @Override
                    public void proxyUnreachable(String reason) {
                        manager.notice("proxy " + text(proxy) + " unreachable, reconnecting: " + reason);
                    }

                    @Override
                    public void proxyReachable() {
                        manager.notice("proxy " + text(proxy) + " reachable again");
                    }
                })
                .handoff((snikey, channel) -> handOff(manager, initializer, snikey, channel));
        settings.agent().ifPresent(b::identity);
        pool = b.build();
        pool.greet(false);
        try {
            Map<Snikey, Integer> ready = pool.bootstrap();
            log.info("registered with proxy {}: ready backlog connections per snikey {}", text(proxy), ready);
        } catch (IOException e) {
            pool.close();
            throw e;
        } catch (InterruptedException e) {
            pool.close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while registering with proxy " + text(proxy));
        }
    }

    private static void handOff(Manager manager, ManagerInitializer initializer, Snikey snikey, Channel channel) {
        EndpointConnection<?> conn = manager.admit(channel);
        if (conn == null) {
            log.info("closing an endpoint connection through proxy {} (snikey {}): not accepting endpoints now",
                    channel.remoteAddress(), snikey);
            channel.close();
            return;
        }
        channel.attr(AcceptGate.CONNECTION).set(conn);
        channel.pipeline().addLast("endpoint", initializer);
    }

    private static String text(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void greet(boolean open) {
        if (this.open) {
            pool.greet(open);
        }
    }

    @Override
    public InetSocketAddress address() {
        return proxy;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        pool.close();
    }
}
