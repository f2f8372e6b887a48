package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;

/** Who may register: certificate chains both ways, the operator's policy, and snikey ownership (refusals carry a reason). */
@Timeout(60)
class ProxyRefusalTest {
    private final RelayHarness harness = new RelayHarness();
    private Proxy proxy;
    private BacklogPool pool;
    private BacklogPool other;

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {other, pool, proxy, harness}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    private Proxy.Builder proxyBuilder() {
        return Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0));
    }

    private BacklogPool.Builder poolBuilder(Snikey snikey) throws Exception {
        return BacklogPool.builder().proxy(proxy.setupAddress()).snikeys(List.of(snikey)).target(1)
                .connTimeout(Duration.ofSeconds(5)).bootstrapTimeout(Duration.ofSeconds(20))
                .retryDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .handoff(harness.echoingManager(Creds.managerServer(snikey)));
    }

    private BacklogPool.Builder poolWithIdentity(Snikey snikey, TlsIdentity identity) throws Exception {
        return poolBuilder(snikey).identity(identity);
    }

    @Test
    void proxyCertificateNotSignedByTheManagersProxyRootIsRefusedWithTheReason() throws Exception {
        proxy = proxyBuilder().build();
        pool = poolWithIdentity(Snikey.random(), Creds.agent(Creds.K_XC)).proxyRoots(Creds.roots(Creds.K_OTHER))
                .bootstrapTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(pool::bootstrap).isInstanceOf(IOException.class)
                .hasMessageContaining("TLS with the proxy failed").hasMessageContaining("PPKS AGENT");
        assertThat(proxy.stats().registered()).isZero();
    }

    @Test
    void proxyCertificateSignedByTheManagersProxyRootIsAccepted() throws Exception {
        Ed25519PrivateKey operator = Creds.K_EOP;
        proxy = proxyBuilder().identity(Creds.agentSignedBy(Creds.K_PRX, operator)).build();
        pool = poolBuilder(Snikey.random()).proxyRoots(Creds.roots(operator)).build();
        assertThat(pool.bootstrap().values()).containsExactly(1);
    }

    @Test
    void managerCertificateNotSignedByTheProxysManagerRootIsRefused() throws Exception {
        proxy = proxyBuilder().managerRoots(Creds.roots(Creds.K_OTHER)).build();
        pool = poolWithIdentity(Snikey.random(), Creds.agent(Creds.K_XC)).bootstrapTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(pool::bootstrap).isInstanceOf(IOException.class)
                .hasMessageContaining("TLS with the proxy failed").hasMessageContaining("certificate_unknown");
        Await.until("the proxy counts the refusal", () -> proxy.stats().registrationsRefused() >= 1);
        assertThat(proxy.stats().registered()).isZero();
    }

    @Test
    void managerWithoutCertificateIsRefusedWhenTheProxyHasManagerRoots() throws Exception {
        proxy = proxyBuilder().managerRoots(Creds.roots(Creds.K_EOP)).build();
        pool = poolBuilder(Snikey.random()).bootstrapTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(pool::bootstrap).isInstanceOf(IOException.class)
                .hasMessageContaining("TLS with the proxy failed").hasMessageContaining("certificate_required");
        assertThat(proxy.stats().registered()).isZero();
    }

    @Test
    void managerCertificateSignedByTheProxysManagerRootIsAccepted() throws Exception {
        proxy = proxyBuilder().managerRoots(Creds.roots(Creds.K_EOP)).build();
        pool = poolWithIdentity(Snikey.random(), Creds.agentSignedBy(Creds.K_XC, Creds.K_EOP)).build();
        assertThat(pool.bootstrap().values()).containsExactly(1);
    }

    @Test
    void managerWithoutCertificateIsAcceptedWhenTheProxyHasNoManagerRoots() throws Exception {
        proxy = proxyBuilder().build();
        pool = poolBuilder(Snikey.random()).build();
        assertThat(pool.bootstrap().values()).containsExactly(1);
    }

    @Test
    void snikeyOwnedByAnotherKeyGetsANonZeroResultAndThePoolRetriesUntilItIsFree() throws Exception {
        Snikey snikey = Snikey.random();
        proxy = proxyBuilder().build();
        pool = poolWithIdentity(snikey, Creds.agent(Creds.K_XC)).build();
        assertThat(pool.bootstrap()).isEqualTo(Map.of(snikey, 1));

        other = poolWithIdentity(snikey, Creds.agent(Creds.K_OTHER)).build();
        Await.until("the other manager is refused more than once", () -> other.stats().failures() >= 2);
        assertThat(other.stats().lastFailure()).hasValueSatisfying(f -> assertThat(f).contains("result ESYSNOPERM"));
        assertThat(other.ready(snikey)).isZero();

        pool.close();
        Await.until("the snikey is free and the other manager gets it", () -> other.ready(snikey) == 1);
    }

    @Test
    void policyRefusalGetsANonZeroResult() throws Exception {
        Snikey allowed = Snikey.random();
        proxy = proxyBuilder().policy((agent, snikey) -> snikey.equals(allowed)).build();
        pool = poolBuilder(new Snikey("forbidden")).bootstrapTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(pool::bootstrap).isInstanceOf(IOException.class).hasMessageContaining("result ESYSNOPERM");
        other = poolBuilder(allowed).build();
        assertThat(other.bootstrap()).isEqualTo(Map.of(allowed, 1));
    }

    @Test
    void backlogPerSnikeyIsCappedWithENORES() throws Exception {
        Snikey snikey = Snikey.random();
        proxy = proxyBuilder().maxBacklogPerSnikey(2).build();
        pool = poolBuilder(snikey).target(3).bootstrapTimeout(Duration.ofSeconds(3)).build();
        assertThat(pool.bootstrap()).isEqualTo(Map.of(snikey, 2));
        Await.until("the third is refused", () -> pool.stats().lastFailure().map(f -> f.contains("result ENORES")).orElse(false));
        assertThat(proxy.stats().idleBacklog()).isEqualTo(2);
    }
}
