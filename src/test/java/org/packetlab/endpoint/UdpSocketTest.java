package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.endpoint.Targets.assertTimeWithin;
import static org.packetlab.endpoint.Targets.family;
import static org.packetlab.endpoint.Targets.loopback;

import io.netty.channel.EventLoopGroup;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.packetlab.wire.Family;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/** UDP sockets of a running session against real loopback targets, IPv4 and IPv6 (spec/agents.md §C.8.2). */
@Timeout(60)
class UdpSocketTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static DatagramSocket target(String host) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback(host), 0));
        s.setSoTimeout(5000);
        return s;
    }

    private static int localPort(TestController.Conn c, int sktid) throws InterruptedException {
        return Bytes.u16(c.read(Vmem.sktinfo(sktid, Vmem.SKT_LPORT), 2), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void datagramsGoOutToTheirDestinationAndComeBackWithTheirSource(String host) throws Exception {
        try (Harness h = Harness.running(group); DatagramSocket target = target(host)) {
            Family fam = family(host);
            assertThat(h.conn.status(Nopen.udp(1, fam, 65536))).isEqualTo(Status.SUCCESS);
            byte[] block = h.conn.read(Vmem.sktinfo(1), 0x40);
            assertThat(block[Vmem.SKT_FAMILY]).isEqualTo((byte) fam.code());
            assertThat(block[Vmem.SKT_PROTO]).isEqualTo((byte) Proto.UDP.code());
            assertThat(block[Vmem.SKT_STAT]).isEqualTo((byte) SocketState.OPEN.code());
            int port = localPort(h.conn, 1);
            assertThat(port).isPositive();

            long before = PktlabTime.now();
            InetSocketAddress to = (InetSocketAddress) target.getLocalSocketAddress();
            assertThat(h.conn.status(Nsend.udp(1, 0, 21, to, "query".getBytes()))).isEqualTo(Status.SUCCESS);
            DatagramPacket got = new DatagramPacket(new byte[100], 100);
            target.receive(got);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo("query".getBytes());
            assertThat(got.getPort()).isEqualTo(port);
            Ntag tag = h.conn.next(Ntag.class);
            assertThat(tag.tag()).isEqualTo(21);
            assertThat(tag.status()).isEqualTo(Status.SUCCESS);

            long sent = PktlabTime.now();
            target.send(new DatagramPacket("answer".getBytes(), 6, got.getSocketAddress()));
            target.send(new DatagramPacket(new byte[0], 0, got.getSocketAddress()));
            Ndata d = h.conn.next(Ndata.class);
            assertThat(d.sktid()).isEqualTo(1);
            assertThat(d.family()).isEqualTo(fam.code());
            assertThat(d.proto()).isEqualTo(Proto.UDP);
            assertThat(d.source()).contains(to);
            assertThat(d.data()).isEqualTo("answer".getBytes());
            assertTimeWithin(d.time(), sent, PktlabTime.now());
            assertThat(h.conn.next(Ndata.class).dataLength()).as("an empty datagram is delivered").isZero();
            assertTimeWithin(tag.time(), before, PktlabTime.now());
        }
    }

    @Test
    void datagramLargerThanTheBudgetIsTruncatedAndTheRestCountedAsDropped() throws Exception {
        try (Harness h = Harness.running(group); DatagramSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.udp(2, new InetSocketAddress(loopback("127.0.0.1"), 0), 10))).isEqualTo(Status.SUCCESS);
            InetSocketAddress ep = new InetSocketAddress(loopback("127.0.0.1"), localPort(h.conn, 2));
            target.send(new DatagramPacket("0123456789abcdefghijklmno".getBytes(), 25, ep));
            assertThat(h.conn.next(Ndata.class).data()).isEqualTo("0123456789".getBytes());
            assertThat(Targets.awaitU32(h.conn, 2, Vmem.SKT_DROPSTAT_BYTES, v -> v > 0)).isEqualTo(15);
            assertThat(Bytes.u32(h.conn.read(Vmem.sktinfo(2, Vmem.SKT_DROPSTAT_PACKETS), 4), 0)).isZero();
        }
    }

    @Test
    void datagramWithoutBudgetIsDroppedWholeAndCounted() throws Exception {
        try (Harness h = Harness.running(group); DatagramSocket target = target("::1")) {
            assertThat(h.conn.status(Nopen.udp(3, Family.IPV6, 0))).isEqualTo(Status.SUCCESS);
            InetSocketAddress ep = new InetSocketAddress(loopback("::1"), localPort(h.conn, 3));
            target.send(new DatagramPacket(new byte[30], 30, ep));
            assertThat(Targets.awaitU32(h.conn, 3, Vmem.SKT_DROPSTAT_PACKETS, v -> v > 0)).isEqualTo(1);
            assertThat(Bytes.u32(h.conn.read(Vmem.sktinfo(3, Vmem.SKT_DROPSTAT_BYTES), 4), 0)).isEqualTo(30);
            assertThat(h.conn.pending()).noneMatch(n -> n instanceof Ndata);
        }
    }

    @Test
    void familyWithoutAnExportedLocalAddressIsRefused() throws Exception {
        Credentials creds = new Credentials();
        try (TestController controller = TestController.start(group, creds.controller, creds.controllerChain(), java.util.List.of(creds.eopPublic()));
             Endpoint endpoint = Endpoint.builder().privateKey(creds.endpoint).chain(java.util.List.of(creds.subcmd))
                     .localAddress("127.0.0.1/8").eventLoopGroup(group).build()) {
            var outcome = endpoint.connect(controller.address(), java.util.Optional.empty());
            TestController.Conn c = controller.accept();
            c.start();
            assertThat(c.status(Nopen.udp(1, Family.IPV6, 100))).isEqualTo(Status.ESKTNOPRFAM);
            assertThat(c.status(Nopen.udp(1, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            assertThat(c.read(Vmem.SYSPARAM_IP4NO, 2)).containsExactly(1, 0);
            c.close();
            assertThat(outcome.get(20, TimeUnit.SECONDS)).isEqualTo(new SessionOutcome.ControllerClosed());
        }
    }

    @Test
    void bindingAPortInUseIsRefusedWithUdpNoPort() throws Exception {
        try (Harness h = Harness.running(group); DatagramSocket busy = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.udp(4, (InetSocketAddress) busy.getLocalSocketAddress(), 100))).isEqualTo(Status.EUDPNOPORT);
            assertThat(h.conn.read(Vmem.sktinfo(4), 4)).containsOnly(0);
        }
    }
}
