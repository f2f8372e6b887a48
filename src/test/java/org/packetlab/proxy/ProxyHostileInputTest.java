package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Snikey;

/**
 * Both ports treat every connection as hostile: garbage, wrong messages, oversize lengths, silent
 * peers and floods end that connection with a clear answer or a timeout, while a relay set up
 * beside them keeps working.
 */
@Timeout(60)
class ProxyHostileInputTest {
    private static final byte[] PKTLAB = "PKTLAB".getBytes(StandardCharsets.US_ASCII);

    private final RelayHarness harness = new RelayHarness();
    private final Snikey snikey = Snikey.random();
    private Proxy proxy;
    private BacklogPool pool;

    @BeforeEach
    void start() throws Exception {
        proxy = Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0))
                .registrationTimeout(Duration.ofSeconds(2)).clientHelloTimeout(Duration.ofSeconds(1))
                .maxPendingEndpoints(4).maxRegistering(3)
                .build();
        pool = BacklogPool.builder().proxy(proxy.setupAddress()).snikeys(List.of(snikey)).target(1)
                .connTimeout(Duration.ofSeconds(5)).bootstrapTimeout(Duration.ofSeconds(20))
                .handoff(harness.echoingManager(Creds.managerServer(snikey))).build();
        pool.bootstrap();
    }

    @AfterEach
    void stop() {
        pool.close();
        proxy.close();
        harness.close();
    }

    /** Others are unaffected: an endpoint still reaches the manager through the proxy. */
    private void relayStillWorks() throws Exception {
        Await.until("the pool is ready", () -> pool.ready(snikey) == 1);
        byte[] echoed = harness.echo(proxy.endpointAddress(), Creds.endpointClient(snikey), new byte[] {9, 8, 7}).get(20, TimeUnit.SECONDS);
        assertThat(echoed).containsExactly(9, 8, 7);
    }

    /** Reads until the proxy closes the connection; returns what it sent. */
    private static byte[] untilClosed(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0]; // a reset is a close too
        }
    }

    private static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5_000);
        return s;
    }

    @Test
    void garbageInsteadOfTlsOnTheSetupPortClosesOnlyThatConnection() throws Exception {
        try (Socket s = connect(proxy.setupAddress())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            untilClosed(s);
        }
        Await.until("refusal counted", () -> proxy.stats().registrationsRefused() >= 1);
        relayStillWorks();
    }

    @Test
    void otherMessageInsteadOfXregIsAnsweredWithEctlbadmsgThenClosed() throws Exception {
        try (EngineConnection m = EngineConnection.connect(proxy.setupAddress(), ProxyRegistrationBytesTest.managerTls())) {
            m.handshake();
            m.writeApplication(new byte[] {0x21, 0, 0, 0}); // start
            assertThat(m.readApplication()).containsExactly(0x40, 0, 0, 2, 0x00, 0x10);
            assertThat(untilClosedAfterTls(m)).isTrue();
        }
        relayStillWorks();
    }

    @Test
    void xregWithAnInvalidSnikeyIsAnsweredWithEctlbadmsg() throws Exception {
        try (EngineConnection m = EngineConnection.connect(proxy.setupAddress(), ProxyRegistrationBytesTest.managerTls())) {
            m.handshake();
            m.writeApplication(new byte[] {(byte) 0x80, 0, 0, 3, 'A', '.', 'b'});
            assertThat(m.readApplication()).containsExactly(0x40, 0, 0, 2, 0x00, 0x10);
        }
        relayStillWorks();
    }

    @Test
    void oversizeFrameIsAnsweredWithEctlbadmsgWithoutBufferingItsBody() throws Exception {
        try (EngineConnection m = EngineConnection.connect(proxy.setupAddress(), ProxyRegistrationBytesTest.managerTls())) {
            m.handshake();
            m.writeApplication(new byte[] {(byte) 0x80, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'});
            assertThat(m.readApplication()).containsExactly(0x40, 0, 0, 2, 0x00, 0x10);
            assertThat(untilClosedAfterTls(m)).isTrue();
        }
        relayStillWorks();
    }

    @Test
    void dataAfterTheXregInsteadOfCloseNotifyIsRefused() throws Exception {
        try (EngineConnection m = EngineConnection.connect(proxy.setupAddress(), ProxyRegistrationBytesTest.managerTls())) {
            m.handshake();
            m.writeApplication(new byte[] {(byte) 0x80, 0, 0, 1, 'z'});
            assertThat(m.readApplication()).containsExactly(0x40, 0, 0, 0);
            m.writeApplication(new byte[] {(byte) 0x80, 0, 0, 1, 'y'});
            assertThat(untilClosedAfterTls(m)).isTrue();
        }
        assertThat(proxy.stats().registered()).isEqualTo(1); // only the pool's
        relayStillWorks();
    }

    @Test
    void wrongPreambleFromTheManagerClosesTheConnection() throws Exception {
        try (EngineConnection m = ProxyRegistrationBytesTest.registerUpToPreamble(proxy, Snikey.random())) {
            m.writeRaw("PKTLAX".getBytes(StandardCharsets.US_ASCII));
            assertThat(m.readRawByte()).isEqualTo(-1);
        }
        assertThat(proxy.stats().registered()).isEqualTo(1);
        relayStillWorks();
    }

    @Test
    void bytesAfterTheManagersPreambleCloseTheConnection() throws Exception {
        try (EngineConnection m = ProxyRegistrationBytesTest.registerUpToPreamble(proxy, Snikey.random())) {
            m.writeRaw("PKTLABextra".getBytes(StandardCharsets.US_ASCII));
            assertThat(m.readRawByte()).isEqualTo(-1);
        }
        assertThat(proxy.stats().idleBacklog()).isEqualTo(1);
    }

    @Test
    void silentManagerIsClosedAtTheRegistrationTimeout() throws Exception {
        try (Socket s = connect(proxy.setupAddress())) {
            Await.until("registering", () -> proxy.stats().registering() == 1);
            assertThat(untilClosed(s)).isEmpty();
        }
        Await.until("slot freed", () -> proxy.stats().registering() == 0);
    }

    @Test
    void managerSilentBeforeItsPreambleIsClosedAtTheRegistrationTimeout() throws Exception {
        try (EngineConnection m = ProxyRegistrationBytesTest.registerUpToPreamble(proxy, Snikey.random())) {
            assertThat(m.readRawByte()).isEqualTo(-1);
        }
        Await.until("slot freed", () -> proxy.stats().registering() == 0);
        assertThat(proxy.stats().idleBacklog()).isEqualTo(1);
    }

    @Test
    void floodOfEndpointsWithoutClientHelloIsBoundedAndTimedOut() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                flood.add(connect(proxy.endpointAddress()));
            }
            Await.until("4 wait, 6 are refused at once", () -> proxy.stats().endpointsRefused() == 6 && proxy.stats().pendingEndpoints() == 4);
            for (Socket s : flood) {
                assertThat(untilClosed(s)).isEmpty();
            }
            Await.until("all timed out", () -> proxy.stats().pendingEndpoints() == 0 && proxy.stats().endpointsRefused() == 10);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        relayStillWorks();
    }

    @Test
    void floodOfSilentManagersIsBoundedAndTimedOut() throws Exception {
        Await.until("the pool's own registration is over", () -> proxy.stats().registering() == 0);
        long refusedBefore = proxy.stats().registrationsRefused();
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                flood.add(connect(proxy.setupAddress()));
            }
            Await.until("3 register, 2 are refused at once",
                    () -> proxy.stats().registering() == 3 && proxy.stats().registrationsRefused() == refusedBefore + 2);
            for (Socket s : flood) {
                assertThat(untilClosed(s)).isEmpty();
            }
            Await.until("all timed out", () -> proxy.stats().registering() == 0 && proxy.stats().registrationsRefused() == refusedBefore + 5);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        relayStillWorks();
    }

    @Test
    void notTlsOnTheEndpointPortIsClosed() throws Exception {
        try (Socket s = connect(proxy.endpointAddress())) {
            s.getOutputStream().write("hello proxy, route me please\r\n".getBytes(StandardCharsets.US_ASCII));
            untilClosed(s);
        }
        Await.until("refused", () -> proxy.stats().endpointsRefused() == 1);
        relayStillWorks();
    }

    @Test
    void oversizeClientHelloIsRefusedWithoutBufferingIt() throws Exception {
        try (Socket s = connect(proxy.endpointAddress())) {
            // handshake record announcing a ClientHello of 16 MiB - 1
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            s.getOutputStream().write(new byte[0x4000 - 4]);
            untilClosed(s);
        }
        Await.until("refused", () -> proxy.stats().endpointsRefused() == 1);
        relayStillWorks();
    }

    /** Whether the connection ends (close_notify, EOF or reset) before any further application data. */
    private static boolean untilClosedAfterTls(EngineConnection m) {
        try {
            m.readApplication();
            return false;
        } catch (IOException closed) {
            return true;
        }
    }
}
