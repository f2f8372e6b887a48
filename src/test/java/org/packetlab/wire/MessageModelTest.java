package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MessageModelTest {

    @Test
    void byteArraysAreCopiedOnTheWayInAndOut() {
        byte[] data = {1, 2, 3};
        Ndata d = Ndata.tcp(1, Family.IPV4, 5, data);
        data[0] = 9;
        assertThat(d.data()).containsExactly(1, 2, 3);
        d.data()[1] = 9;
        assertThat(d.data()).containsExactly(1, 2, 3);
    }

    @Test
    void tcpNdataFromABufferTakesItsReadableBytesAndLeavesTheBufferAlone() {
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.buffer(16).writeBytes(new byte[] {9, 1, 2, 3});
        try {
            buf.readByte();
            Ndata n = Ndata.tcp(3, Family.IPV4, 42, buf);
            buf.setByte(1, 7);
            assertThat(n.data()).containsExactly(1, 2, 3);
            assertThat(n).isEqualTo(Ndata.tcp(3, Family.IPV4, 42, new byte[] {1, 2, 3}));
            assertThat(buf.readerIndex()).isEqualTo(1);
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    @Test
    void equalityAndHashAreByContent() {
        Nsend a = Nsend.tcp(1, Family.IPV4, 0, 1234, "hello".getBytes());
        Nsend b = Nsend.tcp(1, Family.IPV4, 0, 1234, "hello".getBytes());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Nsend.tcp(1, Family.IPV4, 0, 1234, "hellO".getBytes()));
        assertThat(a.toString()).contains("68656c6c6f");
    }

    @Test
    void tcpNopenFactoryFillsTheConnectForm() throws Exception {
        Nopen n = Nopen.tcp(1, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80), 4096);
        assertThat(n.family()).isEqualTo(Family.IPV4);
        assertThat(n.proto()).isEqualTo(Proto.TCP);
        assertThat(n.laddr()).containsExactly(0, 0, 0, 0);
        assertThat(n.isConnect()).isTrue();
        assertThat(n.remote()).contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80));
    }

    @Test
    void udpNsendFactoryTakesTheAddressLengthFromTheFamily() throws Exception {
        Nsend s = Nsend.udp(1, 0, 0, new InetSocketAddress(InetAddress.getByName("::1"), 53), new byte[] {1});
        assertThat(s.family()).isEqualTo(6);
        assertThat(s.raddr()).hasSize(16);
        assertThat(s.destination().orElseThrow().getPort()).isEqualTo(53);
    }

    @Test
    void ipv4MappedAddressesStayIpv6() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[15] = 1;
        Ndata d = new Ndata(1, 6, Proto.UDP, 0, mapped, 53, new byte[0]);
        InetSocketAddress src = d.source().orElseThrow();
        assertThat(Ndata.udp(1, 0, src, new byte[0]).raddr()).isEqualTo(mapped);
    }

    @Test
    void resultRefusesMonitorFieldsWithOrdinaryStatus() {
        assertThat(Result.ok().isOk()).isTrue();
        assertThat(Result.of(Status.ESKTINUSE).status()).isEqualTo(Status.ESKTINUSE);
        assertThat(Result.of(0x1234).status()).isEqualTo(Status.UNKNOWN);
        assertThat(Result.monitorRejected(2, 7).monerrid()).isEqualTo(7);
        assertThatThrownBy(() -> new Result(0x32, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Result(0x13, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mreadRangeMayNotPassTheTopOfVmem() {
        assertThat(Mread.of(0xFFFFFFFEL, 1).addr()).isEqualTo(0xFFFFFFFEL);
        assertThatThrownBy(() -> Mread.of(0xFFFFFFFFL, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mread.of(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nstatEstablishedFormCarriesTheRemoteAddress() throws Exception {
        Nstat s = Nstat.established(1, 7, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 80));
        assertThat(s.isEstablished()).isTrue();
        assertThat(s.event()).contains(NstatCode.ESTABLISHED);
        assertThatThrownBy(() -> Nstat.of(1, Family.IPV4, Proto.TCP, 7, NstatCode.ESTABLISHED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void vmemSocketBlockAddresses() {
        assertThat(Vmem.sktinfo(1, Vmem.SKT_NOTIFMASK)).isEqualTo(0x20000470L);
        assertThat(Mwrite.notificationMask(1, NotificationMask.of(NotificationMask.NDATA)).data()).containsExactly(0, 8);
        assertThatThrownBy(() -> Vmem.sktinfo(256)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pktlabTimeConvertsInstantsAndKeepsMaxUnsigned() {
        java.time.Instant t = java.time.Instant.ofEpochSecond(1_795_633_586L, 868_014_894);
        assertThat(PktlabTime.of(t)).isEqualTo(1795633586868014894L);
        assertThat(PktlabTime.toInstant(1795633586868014894L)).isEqualTo(t);
        assertThat(PktlabTime.toString(PktlabTime.MAX)).isEqualTo("18446744073709551615");
    }

    @Test
    void lookupsTolerateUnknownCodes() {
        assertThat(MessageType.of(0x99)).isEmpty();
        assertThat(MessageType.of(0x2a)).contains(MessageType.NOPEN);
        assertThat(Status.nameOf(0x10)).isEqualTo("ECTLBADMSG");
        assertThat(Status.nameOf(0x1234)).isEqualTo("0x1234");
        assertThat(SocketState.of(0x80)).contains(SocketState.UNKFAULT);
        assertThat(SocketState.of(-1)).contains(SocketState.REFUSED);
        assertThat(NstatCode.of(7)).isEmpty();
    }
}
