package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Snikey;

/** End to end on loopback: a backlog pool registers with a proxy, endpoints reach the manager's TLS server through it. */
@Timeout(60)
class ProxyRelayTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

    private final RelayHarness harness = new RelayHarness();
    private Proxy proxy;
    private BacklogPool pool;

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        harness.close();
    }

    private Proxy startProxy() throws Exception {
        proxy = Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(ANY_LOOPBACK).endpointListen(ANY_LOOPBACK)
                .backlogWait(Duration.ofMillis(500))
                .build();
        return proxy;
    }

    private BacklogPool startPool(Snikey snikey, int target) throws Exception {
        pool = BacklogPool.builder().proxy(proxy.setupAddress()).snikeys(List.of(snikey)).target(target)
                .connTimeout(Duration.ofSeconds(5)).bootstrapTimeout(Duration.ofSeconds(20))
                .identity(Creds.agent(Creds.K_XC)).proxyRoots(Creds.roots(Creds.K_PRX))
                .handoff(harness.echoingManager(Creds.managerServer(snikey)))
                .build();
        return pool;
    }

    @Test
    void endpointCompletesTls13WithTheManagerThroughTheProxyAndBytesEchoExactly() throws Exception {
        Snikey snikey = Snikey.random();
        startProxy();
        startPool(snikey, 2);
        assertThat(pool.bootstrap()).isEqualTo(Map.of(snikey, 2));
        Await.until("proxy holds 2 idle backlog connections", () -> proxy.stats().idleBacklog() == 2);

        byte[] payload = new byte[1024 * 1024 + 17];
        new Random(42).nextBytes(payload);
        byte[] echoed = harness.echo(proxy.endpointAddress(), Creds.endpointClient(snikey), payload).get(20, TimeUnit.SECONDS);

        assertThat(echoed).isEqualTo(payload);
        assertThat(harness.handoffs.poll(5, TimeUnit.SECONDS)).isEqualTo(snikey);
        assertThat(harness.sessions.poll(5, TimeUnit.SECONDS)).isEqualTo(snikey + " TLSv1.3");
        assertThat(proxy.stats().endpointsRouted()).isEqualTo(1);
        assertThat(proxy.stats().bytesRelayed()).isGreaterThan(2L * payload.length);
    }

    @Test
    void poolRefillsToItsTargetAsConnectionsAreUsed() throws Exception {
        Snikey snikey = Snikey.random();
        startProxy();
        startPool(snikey, 2);
        pool.bootstrap();
        for (int i = 0; i < 3; i++) {
            harness.echo(proxy.endpointAddress(), Creds.endpointClient(snikey), new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
            Await.until("pool back at 2 ready", () -> pool.ready(snikey) == 2 && proxy.stats().idleBacklog() == 2);
        }
        assertThat(pool.stats().handedOff()).isEqualTo(3);
        assertThat(pool.stats().registered()).isEqualTo(5);
        assertThat(proxy.stats().endpointsRouted()).isEqualTo(3);
    }

    @Test
    void endpointsWaitWhileThePoolDoesNotGreetAndGetThroughWhenItDoes() throws Exception {
        Snikey snikey = Snikey.random();
        startProxy();
        startPool(snikey, 1);
        pool.bootstrap();
        pool.greet(false);
        var echo = harness.echo(proxy.endpointAddress(), Creds.endpointClient(snikey), new byte[] {1, 2});
        Await.until("the proxy relays the endpoint to the backlog connection", () -> proxy.stats().endpointsRouted() == 1);
        assertThat(harness.handoffs.poll(300, TimeUnit.MILLISECONDS)).as("no hand-over while not greeting").isNull();
        assertThat(echo).isNotDone();

        pool.greet(true);
        assertThat(echo.get(10, TimeUnit.SECONDS)).containsExactly(1, 2);
        assertThat(harness.handoffs.poll()).isEqualTo(snikey);
    }

    @Test
    void unknownSnikeyIsClosed() throws Exception {
        startProxy();
        startPool(Snikey.random(), 1);
        pool.bootstrap();
        assertThatThrownBy(() -> harness.echo(proxy.endpointAddress(), Creds.endpointClient(Snikey.random()), new byte[] {1}).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        Await.until("the endpoint is counted as refused", () -> proxy.stats().endpointsRefused() == 1);
        assertThat(proxy.stats().idleBacklog()).isEqualTo(1);
        assertThat(harness.handoffs).isEmpty();
    }

    @Test
    void endpointWithoutSniIsClosed() throws Exception {
        startProxy();
        startPool(Snikey.random(), 1);
        pool.bootstrap();
        assertThatThrownBy(() -> harness.echo(proxy.endpointAddress(), Creds.endpointClient(null), new byte[] {1}).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        Await.until("the endpoint is counted as refused", () -> proxy.stats().endpointsRefused() == 1);
        assertThat(proxy.stats().idleBacklog()).isEqualTo(1);
    }
}
