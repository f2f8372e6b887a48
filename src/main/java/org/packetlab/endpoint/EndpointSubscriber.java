package org.packetlab.endpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.packetlab.broker.BrokerSubscriber;
import org.packetlab.broker.Subscription;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.EndptConf;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;

/**
 * The broker subscription of an {@code endpt.conf} in subscription mode ({@code NoSubMode 0},
 * spec/agents.md §C.2): {@code BrokerAddr} (default port 20557), the agent certificate
 * {@code EndpointAgentCertPath} with {@code EndpointPrivKey}, the broker roots
 * {@code BrokerChainRootPath}, and a {@link Subscription} of {@code SubPrivCertChainPath},
 * {@code EndpointOpPubKeyPath}, {@code AutoExtractChannel}, {@code BrokerChannel} and
 * {@code EndpointAttr}. The caller adds the listener, usually an {@link ExperimentPool}:
 *
 * <pre>{@code
 * BrokerSubscriber s = EndpointSubscriber.fromConfig(conf, key).listener(n -> pool.offer(n.xdescr())).start();
 * }</pre>
 */
public final class EndpointSubscriber {
    private EndpointSubscriber() {}

    /**
     * A subscriber builder for {@code conf}, listener not set.
     *
     * @throws IOException              naming the file that cannot be read, or the broker address that does not resolve
     * @throws IllegalArgumentException when the configuration cannot subscribe (no broker address, no
     *                                  agent certificate, nothing to subscribe to, no operator key for the chain)
     */
    public static BrokerSubscriber.Builder fromConfig(EndptConf conf, Ed25519PrivateKey key) throws IOException {
        AgentAddress broker = conf.brokerAddr().orElseThrow(() -> new IllegalArgumentException("BrokerAddr is not set"));
        Path agentFile = conf.endpointAgentCertPath()
                .orElseThrow(() -> new IllegalArgumentException("EndpointAgentCertPath is not set"));
        Cert agent = read(agentFile);
        if (!agent.subject().equals(key.publicKey())) {
            throw new IllegalArgumentException("EndpointAgentCertPath " + agentFile + ": its subject is not the endpoint key");
        }
        List<Cert> chain = new ArrayList<>();
        for (Path p : conf.subPrivCertChainPath()) {
            chain.add(read(p));
        }
        Subscription subscription = Subscription.of(chain, keys(conf.endpointOpPubKeyPath()), conf.autoExtractChannel(),
                conf.brokerChannel(), conf.endpointAttr());
        return BrokerSubscriber.builder()
                .broker(broker.resolve(AgentAddress.DefaultPort.BROKER_SUBSCRIBE))
                .identity(TlsIdentity.of(key, List.of(agent)))
                .brokerRoots(keys(conf.brokerChainRootPath()))
                .subscription(subscription);
    }

    private static List<Ed25519PublicKey> keys(List<Path> files) throws IOException {
        List<Ed25519PublicKey> keys = new ArrayList<>();
        for (Path p : files) {
            keys.add(Ed25519PublicKey.read(p));
        }
        return keys;
    }

    private static Cert read(Path p) throws IOException {
        try {
            return Cert.read(p);
        } catch (CertException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
    }
}
