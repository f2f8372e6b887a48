package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.WireCodec;
import org.packetlab.wire.Xreg;

/**
 * The proxy's side of the backlog protocol byte by byte (spec/agents.md §A.7.2, §A.8), against a
 * manager driven record by record: xreg and result layouts, close_notify, the raw preambles both
 * ways, then the endpoint's bytes relayed unchanged in both directions with half-close.
 */
@Timeout(60)
class ProxyRegistrationBytesTest {
    private static final byte[] PKTLAB = "PKTLAB".getBytes(StandardCharsets.US_ASCII);

    private Proxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0))
                // no test here waits for the wait to run out; under a loaded CI machine 2 s were short
                .backlogWait(Duration.ofSeconds(20))
                .build();
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    /** A manager's TLS client towards the proxy: agent mode, checks the proxy's certificate against K_PRX, no SNI. */
    static SslContext managerTls() throws Exception {
        return PpksTls.client(VerifyMode.AGENT).roots(Creds.roots(Creds.K_PRX)).identity(Creds.agent(Creds.K_XC)).build().context();
    }

    /** Registers {@code snikey} up to the proxy's preamble, checking every byte the proxy sends. */
    static EngineConnection registerUpToPreamble(Proxy proxy, Snikey snikey) throws Exception {
        EngineConnection m = EngineConnection.connect(proxy.setupAddress(), managerTls());
        m.handshake();
        byte[] xreg = WireCodec.encode(Xreg.of(snikey));
        byte[] expected = new byte[4 + snikey.value().length()];
        expected[0] = (byte) 0x80;
        expected[3] = (byte) snikey.value().length();
        System.arraycopy(snikey.value().getBytes(StandardCharsets.US_ASCII), 0, expected, 4, snikey.value().length());
        assertThat(xreg).isEqualTo(expected);
        m.writeApplication(xreg);

        assertThat(m.readApplication()).containsExactly(0x40, 0, 0, 0);
        m.closeOutbound();
        assertThat(m.readRaw(6)).as("the proxy's preamble, with nothing before it").isEqualTo(PKTLAB);
        return m;
    }

    @Test
    void registrationIsXregResultCloseNotifyThenRawPreamblesBothWays() throws Exception {
        Snikey snikey = new Snikey("abc123");
        try (EngineConnection m = registerUpToPreamble(proxy, snikey)) {
            assertThat(proxy.stats().idleBacklog()).isZero();
            m.writeRaw(PKTLAB);
            Await.until("the connection is an idle backlog connection", () -> proxy.stats().idleBacklog() == 1);
            assertThat(proxy.stats().registered()).isEqualTo(1);
            assertThat(m.socket().getInputStream().available()).as("nothing after the preamble").isZero();
        }
        Await.until("a closed backlog connection leaves the pool", () -> proxy.stats().idleBacklog() == 0);
    }

    @Test
    void endpointBytesReachTheBacklogConnectionUnchangedBothWaysWithHalfClose() throws Exception {
        Snikey snikey = Snikey.random();
        try (EngineConnection m = registerUpToPreamble(proxy, snikey); Socket endpoint = new Socket()) {
            m.writeRaw(PKTLAB);
            Await.until("registered", () -> proxy.stats().idleBacklog() == 1);

            byte[] hello = EngineConnection.clientHello(Creds.endpointClient(snikey).context());
            byte[] after = new byte[100_000];
            new Random(7).nextBytes(after);
            endpoint.setSoTimeout(10_000);
            endpoint.connect(proxy.endpointAddress());
            endpoint.getOutputStream().write(hello);
            endpoint.getOutputStream().write(after);

            assertThat(m.readRaw(hello.length)).as("the ClientHello record, unchanged").isEqualTo(hello);
            assertThat(m.readRaw(after.length)).as("what followed it").isEqualTo(after);

            byte[] flight = new byte[70_000];
            new Random(8).nextBytes(flight);
            m.writeRaw(flight);
            assertThat(endpoint.getInputStream().readNBytes(flight.length)).isEqualTo(flight);

            endpoint.shutdownOutput();
            assertThat(m.readRawByte()).as("the endpoint's FIN reaches the manager").isEqualTo(-1);
            m.writeRaw("late".getBytes(StandardCharsets.US_ASCII));
            assertThat(endpoint.getInputStream().readNBytes(4)).as("the other direction still flows").isEqualTo("late".getBytes(StandardCharsets.US_ASCII));
            m.socket().shutdownOutput();
            assertThat(endpoint.getInputStream().read()).isEqualTo(-1);
        }
        Await.until("the relay ended", () -> proxy.stats().relays() == 0);
        assertThat(proxy.stats().endpointsRouted()).isEqualTo(1);
    }

    @Test
    void mostRecentlyRegisteredConnectionServesTheNextEndpoint() throws Exception {
        Snikey snikey = Snikey.random();
        try (EngineConnection older = registerUpToPreamble(proxy, snikey)) {
            older.writeRaw(PKTLAB);
            Await.until("first registered", () -> proxy.stats().idleBacklog() == 1);
            try (EngineConnection newer = registerUpToPreamble(proxy, snikey); Socket endpoint = new Socket()) {
                newer.writeRaw(PKTLAB);
                Await.until("second registered", () -> proxy.stats().idleBacklog() == 2);
                byte[] hello = EngineConnection.clientHello(Creds.endpointClient(snikey).context());
                endpoint.connect(proxy.endpointAddress());
                endpoint.getOutputStream().write(hello);
                assertThat(newer.readRaw(hello.length)).isEqualTo(hello);
                assertThat(proxy.stats().idleBacklog()).isEqualTo(1);
                assertThat(older.socket().getInputStream().available()).isZero();
            }
        }
    }

    @Test
    void endpointWaitsBrieflyForAReplenishedConnection() throws Exception {
        Snikey snikey = Snikey.random();
        try (EngineConnection first = registerUpToPreamble(proxy, snikey); Socket endpoint = new Socket()) {
            // registered but not yet idle: the snikey is known, no connection is free
            byte[] hello = EngineConnection.clientHello(Creds.endpointClient(snikey).context());
            endpoint.connect(proxy.endpointAddress());
            endpoint.getOutputStream().write(hello);
            Await.until("the endpoint waits", () -> proxy.stats().pendingEndpoints() == 1);
            first.writeRaw(PKTLAB);
            assertThat(first.readRaw(hello.length)).isEqualTo(hello);
        }
    }

    @Test
    void endpointWaitingWhenTheSnikeysLastConnectionClosesIsServedByTheNextOneRegistered() throws Exception {
        Snikey snikey = Snikey.random();
        byte[] hello = EngineConnection.clientHello(Creds.endpointClient(snikey).context());
        try (EngineConnection only = registerUpToPreamble(proxy, snikey); Socket first = new Socket(); Socket second = new Socket()) {
            only.writeRaw(PKTLAB);
            Await.until("registered", () -> proxy.stats().idleBacklog() == 1);
            first.connect(proxy.endpointAddress());
            first.getOutputStream().write(hello);
            assertThat(only.readRaw(hello.length)).isEqualTo(hello);
            second.connect(proxy.endpointAddress());
            second.getOutputStream().write(hello);
            // waiting for a connection of the snikey, not only accepted: closing the snikey's last
            // connection before its ClientHello is read would leave a snikey that is not registered
            Await.until("the second endpoint waits", () -> proxy.waitingFor(snikey) == 1);

            // the snikey's only connection ends (its session is over) while the manager's replacement registers
            only.close();
            first.close();
            Await.until("the relay is gone", () -> proxy.stats().relays() == 0);
            assertThat(proxy.stats().pendingEndpoints()).isEqualTo(1);
            try (EngineConnection replacement = registerUpToPreamble(proxy, snikey)) {
                replacement.writeRaw(PKTLAB);
                assertThat(replacement.readRaw(hello.length)).isEqualTo(hello);
            }
        }
    }
}
