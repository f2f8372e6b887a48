package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.broker.Broker;
import org.packetlab.broker.BrokerListener;
import org.packetlab.broker.BrokerSubscriber;
import org.packetlab.broker.PublicationInfo;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.endpoint.EndpointSubscriber;
import org.packetlab.endpoint.ExperimentPool;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.wire.Channel;
import org.packetlab.wire.Xnotify;

/**
 * {@code pktlab xpmgr} with {@code EnableExpPublication 1}: the configuration's broker options and
 * {@code -p}/{@code -i} reach the published descriptor, an endpoint configured for subscription
 * ({@code NoSubMode 0}) comes, and a broker that cannot be reached fails the command in one line.
 */
@Timeout(60)
class XpmgrPublicationTest {
    @TempDir
    Path dir;

    private PktlabHome home;
    private Broker broker;
    private final LinkedBlockingQueue<PublicationInfo> published = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        home = PktlabHome.at(dir.resolve("home"));
        home.init(false);
        home.brokerIdentity();
        broker = Broker.builder().identity(home.privateKey(PktlabHome.K_BRK), home.cert(PktlabHome.AGENT_BOP_BRK))
                .publicationAddress(new InetSocketAddress("127.0.0.1", 0))
                .subscriptionAddress(new InetSocketAddress("127.0.0.1", 0))
                .listener(new BrokerListener() {
                    @Override
                    public void published(PublicationInfo p) {
                        published.add(p);
                    }
                })
                .start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** The home's xpmgr.conf publishing at {@code brokerPort}, trusting the local broker operator key. */
    private Path publishingConf(int brokerPort) throws IOException {
        Path conf = dir.resolve("xpmgr.conf");
        Files.writeString(conf, Files.readString(home.xpmgrConfFile())
                .replace("EnableExpPublication 0", "EnableExpPublication 1\nBrokerAddr 127.0.0.1:" + brokerPort)
                .replace(home.publicKeyFile(PktlabHome.CAIDA_K_BOP).toString(), home.publicKeyFile(PktlabHome.K_BOP).toString()));
        return conf;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void managerPublishesWithThePublishedAddressAndHostIdAndTheSubscribedEndpointComes() throws Exception {
        Path conf = publishingConf(broker.publicationAddress().getPort());
        // the entry publishes on its key channel and the public channel "public", with two override pairs
        String text = Files.readString(conf);
        String entry = text.lines().filter(l -> l.startsWith("ExpExec ")).findFirst().orElseThrow();
        Files.writeString(conf, text.replace(entry, entry.substring(0, entry.length() - 1) + ",7075626c6963:exp_priority=3;note=hi;"));
        int port = freePort();
        EndptConf endpt = EndptConf.load(home.endptConfFile()).config().newBuilder().noSubMode(false)
                .brokerAddr(AgentAddress.of("127.0.0.1", broker.subscriptionAddress().getPort()))
                .brokerChainRootPath(List.of(home.publicKeyFile(PktlabHome.K_BOP)))
                .build();
        Ed25519PrivateKey key = Ed25519PrivateKey.read(endpt.endpointPrivKey());
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        try (Endpoint endpoint = Endpoint.builder(endpt, key).build();
             ExperimentPool pool = ExperimentPool.builder(endpoint).build();
             BrokerSubscriber subscriber = EndpointSubscriber.fromConfig(endpt, key).listener(new BrokerSubscriber.Listener() {
                 @Override
                 public void notified(Xnotify n) {
                     pool.offer(n.xdescr());
                 }

                 @Override
                 public void subscribed() {
                     subscribed.complete(null);
                 }
             }).start()) {
            subscribed.get(10, TimeUnit.SECONDS);

            XpmgrCommandTest.Outcome o = XpmgrCommandTest.run("xpmgr", "-c", conf.toString(), "-a", "127.0.0.1:" + port,
                    "-p", "127.0.0.1:" + port, "-i", "pkt*", "-n", "1", "VmemDump");

            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out()).contains("pktlab xpmgr: publishing through the broker at " + broker.publicationAddress())
                    .contains("1 endpoint: 1 ok")
                    .contains("pktlab xpmgr: publication at the broker " + broker.publicationAddress() + " withdrawn: the run is over");
            PublicationInfo p = published.poll(5, TimeUnit.SECONDS);
            assertThat(p).isNotNull();
            assertThat(p.xdescr().toString()).startsWith("hostid=pkt*;pub_end=")
                    .contains(";controller_addr=127.0.0.1:" + port + ";sni_key=")
                    .endsWith(";note=hi;exp_priority=3;");
            assertThat(p.channels()).containsExactly(Channel.of(home.publicKey(PktlabHome.K_EOP).keyId().bytes()),
                    Channel.of("public".getBytes(StandardCharsets.US_ASCII)));
            assertThat(pool.sessionsStarted()).isEqualTo(1);
        }
    }

    @Test
    void unreachableBrokerFailsTheCommandInOneLine() throws Exception {
        int closed = freePort();
        Path conf = publishingConf(closed);

        XpmgrCommandTest.Outcome o = XpmgrCommandTest.run("xpmgr", "-c", conf.toString(), "-a", "127.0.0.1:0", "-n", "1", "VmemDump");

        assertThat(o.code()).isEqualTo(1);
        assertThat(o.err()).startsWith("pktlab xpmgr: publication failed: cannot connect to the broker at /127.0.0.1:" + closed + ": ")
                .doesNotContain("\tat ");
        assertThat(published).isEmpty();
    }
}
