package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Family;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/** The vmem map through mread/mwrite of a running session (spec/wire-protocol.md §10). */
@Timeout(60)
class VmemTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void sysparamFieldsHoldTheEndpointsConfiguration() throws Exception {
        try (Harness h = Harness.running(group, b -> b.localAddress("10.1.2.3/24").localAddress("fe80::1").bufMax(1_000_000)
                .transports(java.util.EnumSet.of(Proto.TCP, Proto.UDP, Proto.RAW)), l -> l)) {
            TestController.Conn c = h.conn;
            assertThat(c.read(Vmem.SYSPARAM_IP4NO, 10)).as("counts, transports (no raw), BufMax copy")
                    .isEqualTo(hex("0202" + "00000006" + "000f4240"));
            assertThat(c.read(Vmem.SYSPARAM_IP4LS, 24)).isEqualTo(hex("7f000001ff000000" + "0a010203ffffff00" + "0000000000000000"));
            assertThat(c.read(Vmem.SYSPARAM_IP6LS, 32)).isEqualTo(hex("00000000000000000000000000000001" + "fe800000000000000000000000000001"));
            assertThat(c.read(Vmem.SYSPARAM_BUFMAX, 8)).as("BufMax, BufUsed").isEqualTo(hex("000f4240" + "00000000"));
            assertThat(c.read(Vmem.SYSPARAM_IP4DNSNO, 2)).isEqualTo(hex("0101"));
            assertThat(c.read(Vmem.SYSPARAM_IP4DNSLS, 8)).isEqualTo(hex("7f000035" + "00000000"));
            assertThat(c.read(Vmem.SYSPARAM_IP6DNSLS, 16)).isEqualTo(hex("00000000000000000000000000000001"));
            assertThat(c.read(Vmem.SYSPARAM_IP4HDRMOD, 12)).isEqualTo(hex("000000010200000000010200"));
            assertThat(c.read(Vmem.SYSPARAM_IP6HDRMOD, 8)).containsOnly(0);
            byte[] hostId = c.read(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE);
            assertThat(Arrays.copyOf(hostId, 7)).isEqualTo("ep-test".getBytes());
            assertThat(Arrays.copyOfRange(hostId, 7, 256)).containsOnly(0);
            assertThat(c.read(Vmem.SYSPARAM_LATLONG, Vmem.LATLONG_SIZE + Vmem.OSINFO_SIZE)).containsOnly(0);
        }
    }

    @Test
    void timeIsTheEndpointClockAtReadTime() throws Exception {
        try (Harness h = Harness.running(group)) {
            long before = PktlabTime.now();
            long t1 = Bytes.u32(h.conn.read(Vmem.SYSPARAM_TIME, 8), 0) << 32 | Bytes.u32(h.conn.read(Vmem.SYSPARAM_TIME, 8), 4);
            byte[] b = h.conn.read(Vmem.SYSPARAM_TIME, 8);
            long t2 = Bytes.u32(b, 0) << 32 | Bytes.u32(b, 4);
            long after = PktlabTime.now();
            Targets.assertTimeWithin(t2, before, after);
            assertThat(Long.compareUnsigned(t1, before)).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void holesReadAsZerosByteExactlyEvenWhenTheReadStartsInOne() throws Exception {
        try (Harness h = Harness.running(group)) {
            byte[] around = h.conn.read(Vmem.SYSPARAM_HOSTID - 4, 11);
            assertThat(around).as("4 hole bytes, then the host id").isEqualTo(hex("00000000" + HexFormat.of().formatHex("ep-test".getBytes())));
            assertThat(h.conn.read(Vmem.NSENDTSTP, 64)).containsOnly(0);
            assertThat(h.conn.read(Vmem.MONSCRATCH, 0xFFFF)).containsOnly(0);
            assertThat(h.conn.read(0xFFFF0000L, 0xFFFE)).containsOnly(0);
            assertThat(h.conn.read(Vmem.sktinfo(200), Vmem.SKTINFO_BLOCK_SIZE)).as("a FREE slot").containsOnly(0);
        }
    }

    @Test
    void socketBlockShowsAnOpenSocketAndOnlyItsWritableFieldsTakeWrites() throws Exception {
        try (Harness h = Harness.running(group)) {
            TestController.Conn c = h.conn;
            assertThat(c.status(Nopen.udp(9, Family.IPV4, 1234))).isEqualTo(Status.SUCCESS);
            long base = Vmem.sktinfo(9);
            byte[] before = c.read(base, Vmem.SKTINFO_BLOCK_SIZE);
            assertThat(before[Vmem.SKT_STAT]).isEqualTo((byte) 2);
            assertThat(Bytes.u32(before, Vmem.SKT_RBUFSZ)).isEqualTo(1234);

            byte[] all = new byte[Vmem.SKTINFO_BLOCK_SIZE];
            Arrays.fill(all, (byte) 0x5A);
            assertThat(c.status(Mwrite.of(base, all))).isEqualTo(Status.SUCCESS);
            byte[] after = c.read(base, Vmem.SKTINFO_BLOCK_SIZE);
            for (int i = 0; i < Vmem.SKTINFO_BLOCK_SIZE; i++) {
                boolean writable = (i >= Vmem.SKT_RBUFSZ && i < Vmem.SKT_RBUFSZ + 4) || i == Vmem.SKT_NSENDERR
                        || (i >= Vmem.SKT_NSENDERRTAG && i < Vmem.SKT_NSENDERRTAG + 2)
                        || (i >= Vmem.SKT_NOTIFMASK && i < Vmem.SKT_NOTIFMASK + 2)
                        || (i >= Vmem.SKT_CTFL && i < Vmem.SKT_CTFL + Vmem.SKT_CTFL_SIZE);
                assertThat(after[i]).as("byte 0x%x", i).isEqualTo(writable ? (byte) 0x5A : before[i]);
            }
            assertThat(c.status(Mwrite.of(base + Vmem.SKT_RBUFSZ + 3, new byte[] {1}))).isEqualTo(Status.SUCCESS);
            assertThat(c.read(base + Vmem.SKT_RBUFSZ, 4)).as("a partial write changes only its bytes").isEqualTo(hex("5a5a5a01"));
            assertThat(c.status(Mwrite.notificationMask(9, 0))).isEqualTo(Status.SUCCESS);

            assertThat(c.status(Mwrite.of(Vmem.SYSPARAM_HOSTID, "evil".getBytes()))).as("read-only: ignored").isEqualTo(Status.SUCCESS);
            assertThat(c.read(Vmem.SYSPARAM_HOSTID, 7)).isEqualTo("ep-test".getBytes());
            assertThat(c.status(Mwrite.rbufsz(10, 99))).as("FREE slot: ignored").isEqualTo(Status.SUCCESS);
            assertThat(c.read(Vmem.sktinfo(10), Vmem.SKTINFO_BLOCK_SIZE)).containsOnly(0);
        }
    }
}
