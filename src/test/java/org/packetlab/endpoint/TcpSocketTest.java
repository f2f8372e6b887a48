package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.endpoint.Targets.assertTimeWithin;
import static org.packetlab.endpoint.Targets.family;
import static org.packetlab.endpoint.Targets.loopback;

import io.netty.channel.EventLoopGroup;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.packetlab.wire.Family;
import org.packetlab.wire.Ncap;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.NsendError;
import org.packetlab.wire.NstatCode;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Program;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/** TCP sockets of a running session against real loopback targets, IPv4 and IPv6 (spec/agents.md §C.8.1, §C.8.4-C.8.6). */
@Timeout(60)
class TcpSocketTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ServerSocket target(String host) throws Exception {
        ServerSocket s = new ServerSocket(0, 50, loopback(host));
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] readExactly(InputStream in, int n) throws Exception {
        byte[] b = in.readNBytes(n);
        assertThat(b).hasSize(n);
        return b;
    }

    /** Collects ndata of socket {@code sktid} until {@code n} bytes arrived; checks each chunk against {@code maxChunk}. */
    private static byte[] receive(TestController.Conn c, int sktid, int n, long maxChunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            Ndata d = c.next(Ndata.class, x -> x.sktid() == sktid);
            assertThat((long) d.dataLength()).isBetween(1L, maxChunk);
            out.write(d.data());
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void connectExchangeDataPeerCloseAndFin(String host) throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target(host)) {
            Family fam = family(host);
            long before = PktlabTime.now();
            InetSocketAddress to = new InetSocketAddress(loopback(host), target.getLocalPort());
            assertThat(h.conn.status(Nopen.tcp(1, to, 65536))).isEqualTo(Status.SUCCESS);
            Nstat est = h.conn.next(Nstat.class);
            assertThat(est.isEstablished()).isTrue();
            assertThat(est.sktid()).isEqualTo(1);
            assertThat(est.remote()).contains(to);
            assertTimeWithin(est.time(), before, PktlabTime.now());
            try (Socket peer = target.accept()) {
                assertThat(h.conn.status(Nsend.tcp(1, fam, 0, 7, "hello".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(readExactly(peer.getInputStream(), 5)).isEqualTo("hello".getBytes());
                Ntag tag = h.conn.next(Ntag.class);
                assertThat(tag.tag()).isEqualTo(7);
                assertThat(tag.status()).isEqualTo(Status.SUCCESS);
                assertTimeWithin(tag.time(), before, PktlabTime.now());

                long sent = PktlabTime.now();
                peer.getOutputStream().write("world".getBytes());
                assertThat(receive(h.conn, 1, 5, 65536)).isEqualTo("world".getBytes());

                byte[] block = h.conn.read(Vmem.sktinfo(1), 0x80);
                assertThat(block[Vmem.SKT_FAMILY]).isEqualTo((byte) fam.code());
                assertThat(block[Vmem.SKT_PROTO]).isEqualTo((byte) 6);
                assertThat(block[Vmem.SKT_STAT]).isEqualTo((byte) SocketState.OPEN.code());
                assertThat(Arrays.copyOfRange(block, Vmem.SKT_RADDR, Vmem.SKT_RADDR + fam.addressLength())).isEqualTo(to.getAddress().getAddress());
                assertThat(Arrays.copyOfRange(block, Vmem.SKT_LADDR, Vmem.SKT_LADDR + fam.addressLength())).isEqualTo(to.getAddress().getAddress());
                assertThat(Bytes.u16(block, Vmem.SKT_RPORT)).isEqualTo(target.getLocalPort());
                assertThat(Bytes.u16(block, Vmem.SKT_LPORT)).isEqualTo(peer.getPort());
                assertThat(Bytes.u32(block, Vmem.SKT_RBUFSZ)).isEqualTo(65536);

                peer.shutdownOutput();
                Nstat closed = h.conn.next(Nstat.class);
                assertThat(closed.event()).contains(NstatCode.PEERCLOSED);
                assertTimeWithin(closed.time(), sent, PktlabTime.now());
                assertThat(Targets.state(h.conn, 1)).isEqualTo(SocketState.EOF);

                assertThat(h.conn.status(Nsend.tcp(1, fam, 0, 0, "still".getBytes()))).as("EOF still sends").isEqualTo(Status.SUCCESS);
                assertThat(readExactly(peer.getInputStream(), 5)).isEqualTo("still".getBytes());
                assertThat(h.conn.status(Nctl.fin(1, fam, 0))).isEqualTo(Status.SUCCESS);
                assertThat(peer.getInputStream().read()).as("FIN reaches the peer").isEqualTo(-1);
                assertThat(Targets.state(h.conn, 1)).isEqualTo(SocketState.END);
                assertThat(h.conn.read(Vmem.sktinfo(1, Vmem.SKT_NSENDERR), 1)[0]).isEqualTo((byte) NsendError.WFIN.code());
                assertThat(h.conn.status(Nsend.tcp(1, fam, 0, 0, "x".getBytes()))).isEqualTo(Status.ESKTNOTOPEN);
            }
            assertThat(h.conn.status(Nclose.of(1))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.read(Vmem.sktinfo(1), Vmem.SKTINFO_BLOCK_SIZE)).containsOnly(0);
            assertThat(h.conn.status(Nclose.of(1))).isEqualTo(Status.ESKTNOTOPEN);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void largeTransferWithSmallRbufszArrivesCompleteAndInOrder(String host) throws Exception {
        byte[] payload = new byte[1 << 20];
        new Random(42).nextBytes(payload);
        try (Harness h = Harness.running(group); ServerSocket target = target(host)) {
            assertThat(h.conn.status(Nopen.tcp(2, new InetSocketAddress(loopback(host), target.getLocalPort()), 3000))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try (OutputStream out = peer.getOutputStream()) {
                        out.write(payload);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(receive(h.conn, 2, payload.length, 3000)).isEqualTo(payload);
                writer.join();
                assertThat(h.conn.next(Nstat.class).event()).contains(NstatCode.PEERCLOSED);
            }
        }
    }

    @Test
    void zeroRbufszDeliversNothingUntilRaisedThroughVmem() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.tcp(3, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 0))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                peer.getOutputStream().write(new byte[100]);
                assertThat(h.conn.read(Vmem.sktinfo(3, Vmem.SKT_RBUFUSED), 4)).containsOnly(0);
                assertThat(h.conn.pending()).noneMatch(n -> n instanceof Ndata);
                assertThat(h.conn.status(Mwrite.rbufsz(3, 40))).isEqualTo(Status.SUCCESS);
                assertThat(receive(h.conn, 3, 100, 40)).hasSize(100);
            }
        }
    }

    @Test
    void connectToAClosedPortEndsRefusedWithoutNotification() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        try (Harness h = Harness.running(group)) {
            assertThat(h.conn.status(Nopen.tcp(4, new InetSocketAddress(loopback("127.0.0.1"), port), 100))).isEqualTo(Status.SUCCESS);
            h.conn.send(Nsend.tcp(4, Family.IPV4, 0, 11, "lost".getBytes()));
            Status queued = ((org.packetlab.wire.Result) h.conn.response()).status();
            assertThat(Targets.awaitStateLeaves(h.conn, 4, SocketState.OPENING)).isEqualTo(SocketState.REFUSED);
            assertThat(h.conn.pending()).noneMatch(n -> n instanceof Nstat);
            if (queued == Status.SUCCESS) {
                assertThat(h.conn.next(Ntag.class).status()).as("a send queued while connecting is not sent").isEqualTo(Status.EPKTNOTSENT);
            } else {
                assertThat(queued).isEqualTo(Status.ESKTNOTOPEN);
            }
            assertThat(h.conn.status(Nctl.fin(4, Family.IPV4, 0))).isEqualTo(Status.ESKTNOTOPEN);
            assertThat(h.conn.status(Nopen.tcp(4, new InetSocketAddress(loopback("127.0.0.1"), port), 100)))
                    .as("an error state keeps the slot").isEqualTo(Status.ESKTINUSE);
            assertThat(h.conn.status(Nclose.of(4))).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void sendPipelinedRightAfterNopenIsQueuedUntilConnected() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("::1")) {
            h.conn.send(Nopen.tcp(5, new InetSocketAddress(loopback("::1"), target.getLocalPort()), 100));
            h.conn.send(Nsend.tcp(5, Family.IPV6, 0, 1, "early".getBytes()));
            assertThat(((org.packetlab.wire.Result) h.conn.response()).status()).isEqualTo(Status.SUCCESS);
            assertThat(((org.packetlab.wire.Result) h.conn.response()).status()).isEqualTo(Status.SUCCESS);
            try (Socket peer = target.accept()) {
                assertThat(readExactly(peer.getInputStream(), 5)).isEqualTo("early".getBytes());
                assertThat(h.conn.next(Ntag.class).status()).isEqualTo(Status.SUCCESS);
            }
        }
    }

    @Test
    void timedSendsLeaveInQueueOrderNotBeforeTheirTime() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.tcp(6, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                long at = PktlabTime.now() + TimeUnit.MILLISECONDS.toNanos(300);
                assertThat(h.conn.status(Nsend.tcp(6, Family.IPV4, at, 1, "first".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.status(Nsend.tcp(6, Family.IPV4, 0, 2, "second".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(readExactly(peer.getInputStream(), 11)).isEqualTo("firstsecond".getBytes());
                Ntag first = h.conn.next(Ntag.class);
                Ntag second = h.conn.next(Ntag.class);
                assertThat(first.tag()).isEqualTo(1);
                assertThat(second.tag()).as("head-of-line: the later entry waits").isEqualTo(2);
                assertThat(Long.compareUnsigned(first.time(), at)).isGreaterThanOrEqualTo(0);
                assertThat(Long.compareUnsigned(second.time(), first.time())).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void finDiscardsLaterSendsWithNotSentTags() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.tcp(7, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                long later = PktlabTime.now() + TimeUnit.SECONDS.toNanos(60);
                assertThat(h.conn.status(Nsend.tcp(7, Family.IPV4, 0, 1, "now".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.status(Nsend.tcp(7, Family.IPV4, later, 9, "never".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.status(Nctl.fin(7, Family.IPV4, PktlabTime.now()))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.status(Nctl.fin(7, Family.IPV4, later))).as("a second FIN is accepted").isEqualTo(Status.SUCCESS);
                assertThat(peer.getInputStream().readAllBytes()).isEqualTo("now".getBytes());
                assertThat(h.conn.next(Ntag.class, t -> t.tag() == 1).status()).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.next(Ntag.class, t -> t.tag() == 9).status()).isEqualTo(Status.EPKTNOTSENT);
                assertThat(Targets.state(h.conn, 7)).isEqualTo(SocketState.WFIN);
            }
        }
    }

    @Test
    void peerResetIsReportedAsResetAndLaterSendsAreRefused() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("::1")) {
            assertThat(h.conn.status(Nopen.tcp(16, new InetSocketAddress(loopback("::1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            Socket peer = target.accept();
            peer.setSoLinger(true, 0);
            peer.close();
            Nstat reset = h.conn.next(Nstat.class);
            assertThat(reset.event()).contains(NstatCode.RESET);
            assertThat(Targets.state(h.conn, 16)).isEqualTo(SocketState.RESET);
            assertThat(h.conn.status(Nsend.tcp(16, Family.IPV6, 0, 1, "x".getBytes()))).isEqualTo(Status.ESKTNOTOPEN);
            assertThat(h.endpoint.openMeasurementChannels()).as("the failed channel is closed; its slot waits for nclose").isZero();
            assertThat(h.conn.status(Nclose.of(16))).isEqualTo(Status.SUCCESS);
        }
    }

    @Test
    void ncloseDropsQueuedSendsWithoutTags() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.tcp(8, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                long later = PktlabTime.now() + TimeUnit.SECONDS.toNanos(60);
                assertThat(h.conn.status(Nsend.tcp(8, Family.IPV4, later, 5, "dropped".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(Bytes.u32(h.conn.read(Vmem.SYSPARAM_BUFUSED, 4), 0)).as("the queued send holds buffer").isGreaterThan(7);
                assertThat(h.conn.status(Nclose.of(8))).isEqualTo(Status.SUCCESS);
                assertThat(Bytes.u32(h.conn.read(Vmem.SYSPARAM_BUFUSED, 4), 0)).isZero();
                assertThat(peer.getInputStream().read()).isEqualTo(-1);
                assertThat(h.conn.pending()).noneMatch(n -> n instanceof Ntag);
            }
        }
    }

    @Test
    void sendChecksFollowTheReferenceOrder() throws Exception {
        try (Harness h = Harness.running(group, b -> b.bufMax(10_000), l -> l); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nsend.tcp(9, Family.IPV4, 0, 0, "x".getBytes()))).isEqualTo(Status.ESKTNOTOPEN);
            assertThat(h.conn.status(Nopen.tcp(9, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            assertThat(h.conn.status(Nsend.tcp(9, Family.IPV6, 0, 0, "x".getBytes()))).isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(Nsend.udp(9, 0, 0, new InetSocketAddress(loopback("127.0.0.1"), 9), "x".getBytes()))).isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(Nsend.tcp(9, Family.IPV4, 0, 0, new byte[9_990]))).as("payload + overhead > BufMax").isEqualTo(Status.ESYSNOBUFS);
            long later = PktlabTime.now() + TimeUnit.SECONDS.toNanos(60);
            assertThat(h.conn.status(Nsend.tcp(9, Family.IPV4, later, 0, new byte[6_000]))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nsend.tcp(9, Family.IPV4, later, 0, new byte[6_000]))).as("BufMax counts queued sends").isEqualTo(Status.ESYSNOBUFS);
            assertThat(Bytes.u32(h.conn.read(Vmem.SYSPARAM_BUFUSED, 4), 0)).isBetween(6_000L, 10_000L);
            target.accept().close();
        }
    }

    @Test
    void nopenChecksFollowTheReferenceOrder() throws Exception {
        try (Harness h = Harness.running(group, b -> b, l -> l.maxSocketCount(3)); ServerSocket target = target("127.0.0.1")) {
            InetSocketAddress to = new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort());
            assertThat(h.conn.status(Nopen.raw(10, loopback("127.0.0.1"), 100))).as("raw is not offered").isEqualTo(Status.ESKTNOPROTO);
            assertThat(h.conn.status(new Nopen(10, Family.IPV4, org.packetlab.wire.Proto.TCP, 100, new byte[4], 0, null, 0)))
                    .as("TCP listen is not implemented").isEqualTo(Status.ESKTNOPROTO);
            assertThat(h.conn.status(Nopen.tcp(10, new InetSocketAddress(loopback("127.0.0.1"), 0), 100))).as("remote port 0").isEqualTo(Status.ESKTNOADDR);
            assertThat(h.conn.status(Nopen.tcp(10, new InetSocketAddress(loopback("192.0.2.1"), 0), to, 100)))
                    .as("local address not available").isEqualTo(Status.ESKTNOADDR);
            try (ServerSocket busy = new ServerSocket(0, 1, loopback("127.0.0.1"))) {
                assertThat(h.conn.status(Nopen.tcp(10, new InetSocketAddress(loopback("127.0.0.1"), busy.getLocalPort()), to, 100)))
                        .as("local port in use").isEqualTo(Status.ETCPNOPORT);
            }
            assertThat(h.conn.status(Nopen.tcp(10, to, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nopen.tcp(10, to, 100))).isEqualTo(Status.ESKTINUSE);
            assertThat(h.conn.status(Nopen.udp(11, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nclose.of(11))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nopen.udp(11, Family.IPV6, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nclose.of(11))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nopen.udp(12, Family.IPV4, 100))).as("quota spent; closing gives nothing back").isEqualTo(Status.ENORES);
            assertThat(h.conn.status(Nopen.tcp(10, to, 100))).as("quota is checked before the slot").isEqualTo(Status.ENORES);
            target.accept().close();
        }
    }

    @Test
    void nctlAndNcapChecks() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            Program filter = Program.ebpf(java.util.List.of(new Program.Instruction(0x95, 0, 0, 0, 0)));
            assertThat(h.conn.status(Nctl.fin(13, Family.IPV4, 0))).as("FREE slot").isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(Ncap.of(13, Family.IPV4, 0, filter))).as("FREE slot").isEqualTo(Status.ESKTNOTOPEN);
            assertThat(h.conn.status(Nopen.udp(14, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Nctl.fin(14, Family.IPV4, 0))).as("UDP socket").isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(new Ncap(14, 4, 17, 0, filter.encode()))).as("capture on UDP").isEqualTo(Status.ESKTNOPROTO);
            assertThat(h.conn.status(Nopen.tcp(13, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(new Nctl(13, 4, 0, 2))).as("unknown command").isEqualTo(Status.ECTLBADMSG);
            assertThat(h.conn.status(Nctl.fin(13, Family.IPV6, 0))).isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(Ncap.of(13, Family.IPV4, 0, filter))).as("family/proto mismatch").isEqualTo(Status.ESKTNOMATCH);
            assertThat(h.conn.status(new Ncap(13, 4, 6, 0, filter.encode()))).as("capture on TCP").isEqualTo(Status.ESKTNOPROTO);
            assertThat(h.conn.read(Vmem.SYSPARAM_TIME, 8)).hasSize(8);
            target.accept().close();
        }
    }

    @Test
    void taggedSendsAndDataAreHeldByTheMaskAndFlushedInOrderWhenCleared() throws Exception {
        try (Harness h = Harness.running(group); ServerSocket target = target("127.0.0.1")) {
            assertThat(h.conn.status(Nopen.tcp(15, new InetSocketAddress(loopback("127.0.0.1"), target.getLocalPort()), 1000))).isEqualTo(Status.SUCCESS);
            h.conn.next(Nstat.class);
            try (Socket peer = target.accept()) {
                int mask = org.packetlab.wire.NotificationMask.of(org.packetlab.wire.NotificationMask.NTAG,
                        org.packetlab.wire.NotificationMask.NSTAT, org.packetlab.wire.NotificationMask.NDATA);
                assertThat(h.conn.status(Mwrite.notificationMask(15, mask))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.status(Nsend.tcp(15, Family.IPV4, 0, 3, "ping".getBytes()))).isEqualTo(Status.SUCCESS);
                assertThat(readExactly(peer.getInputStream(), 4)).isEqualTo("ping".getBytes());
                peer.getOutputStream().write("pong".getBytes());
                peer.shutdownOutput();
                Targets.awaitU32(h.conn, 15, Vmem.SKT_RBUFUSED, v -> v == 4);
                assertThat(Targets.awaitStateLeaves(h.conn, 15, SocketState.OPEN)).isEqualTo(SocketState.EOF);
                assertThat(h.conn.pending()).as("everything held").isEmpty();

                assertThat(h.conn.status(Mwrite.notificationMask(15, org.packetlab.wire.NotificationMask.NTAG.bit()))).isEqualTo(Status.SUCCESS);
                Notification first = h.conn.poll(5000);
                Notification second = h.conn.poll(5000);
                assertThat(first).isInstanceOfSatisfying(Ndata.class, d -> assertThat(d.data()).isEqualTo("pong".getBytes()));
                assertThat(second).isInstanceOfSatisfying(Nstat.class, s -> assertThat(s.event()).contains(NstatCode.PEERCLOSED));
                assertThat(h.conn.pending()).as("ntag still held").isEmpty();
                assertThat(h.conn.status(Mwrite.notificationMask(15, 0))).isEqualTo(Status.SUCCESS);
                assertThat(h.conn.next(Ntag.class).tag()).isEqualTo(3);
                assertThat(h.conn.read(Vmem.sktinfo(15, Vmem.SKT_RBUFUSED), 4)).containsOnly(0);
            }
        }
    }
}
