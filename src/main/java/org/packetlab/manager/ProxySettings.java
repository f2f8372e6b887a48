package org.packetlab.manager;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.XpmgrConf;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;

/**
 * The proxy-mode settings of a manager (spec/agents.md §A.7.1, config-files.md §2.3): the proxy to
 * register with (absent = listen mode), whether the configuration asked for proxy mode (then the
 * address is required), the agent certificate shown to the proxy, the keys the proxy's certificate
 * must be signed by, the backlog target and the two timeouts.
 */
record ProxySettings(Optional<AgentAddress> proxy, boolean required, Optional<TlsIdentity> agent,
                     List<Ed25519PublicKey> proxyRoots, int target, Duration connTimeout, Duration bootstrapTimeout) {

    static final ProxySettings LISTEN = new ProxySettings(Optional.empty(), false, Optional.empty(), List.of(),
            (int) XpmgrConf.DEFAULT_TARGET_BACKLOG_CONN, XpmgrConf.DEFAULT_BACKLOG_CONN_TIMEOUT,
            XpmgrConf.DEFAULT_BOOTSTRAP_BACKLOG_TIMEOUT);

    ProxySettings {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(agent, "agent");
        proxyRoots = List.copyOf(proxyRoots);
        Objects.requireNonNull(connTimeout, "connTimeout");
        Objects.requireNonNull(bootstrapTimeout, "bootstrapTimeout");
    }

    ProxySettings withProxy(AgentAddress address) {
        return new ProxySettings(Optional.of(address), required, agent, proxyRoots, target, connTimeout, bootstrapTimeout);
    }

    ProxySettings withRequired(boolean required) {
        return new ProxySettings(proxy, required, agent, proxyRoots, target, connTimeout, bootstrapTimeout);
    }

    ProxySettings withAgent(Optional<TlsIdentity> agent) {
        return new ProxySettings(proxy, required, agent, proxyRoots, target, connTimeout, bootstrapTimeout);
    }

    ProxySettings withProxyRoots(List<Ed25519PublicKey> roots) {
        return new ProxySettings(proxy, required, agent, roots, target, connTimeout, bootstrapTimeout);
    }

    ProxySettings withTarget(int target) {
        return new ProxySettings(proxy, required, agent, proxyRoots, target, connTimeout, bootstrapTimeout);
    }

    ProxySettings withTimeouts(Duration conn, Duration bootstrap) {
        return new ProxySettings(proxy, required, agent, proxyRoots, target, conn, bootstrap);
    }
}
