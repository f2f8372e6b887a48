package org.packetlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.EndpointSessions;
import org.packetlab.mlet.ScriptedTransport;
import org.packetlab.mlet.VmemImage;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Vmem;

@Timeout(10)
class VmemDumpTest {

    @Test
    void decodesEverythingTheEndpointExports() throws Exception {
        long now = 1_795_633_586_868_014_894L;
        byte[] hostId = new byte[Vmem.HOSTID_SIZE];
        System.arraycopy("pktendpt".getBytes(), 0, hostId, 0, 8);
        byte[] udp = new byte[0x80];
        ByteBuffer.wrap(udp).put(Vmem.SKT_FAMILY, (byte) 4).put(Vmem.SKT_PROTO, (byte) 0x11)
                .put(Vmem.SKT_STAT, (byte) SocketState.OPEN.code()).putShort(Vmem.SKT_LPORT, (short) 40000)
                .putInt(Vmem.SKT_RBUFSZ, 0x1000);
        VmemImage vmem = new VmemImage()
                .put(Vmem.SYSPARAM_HOSTID, hostId)
                .put(Vmem.SYSPARAM_TIME, ByteBuffer.allocate(8).putLong(now).array())
                .put(Vmem.SYSPARAM_IP4NO, new byte[] {1, 1, 0, 0, 0, 6})
                .put(Vmem.SYSPARAM_BUFMAX, ByteBuffer.allocate(8).putInt(8 << 20).putInt(4096).array())
                .put(Vmem.SYSPARAM_IP4LS, new byte[] {127, 0, 0, 1, (byte) 255, 0, 0, 0})
                .put(Vmem.SYSPARAM_IP6LS, InetAddress.getByName("::1").getAddress())
                .put(Vmem.SYSPARAM_IP4DNSNO, new byte[] {1})
                .put(Vmem.SYSPARAM_IP4DNSLS, new byte[] {127, 0, 0, 1})
                .put(Vmem.sktinfo(7), udp);
        try (ScriptedTransport t = ScriptedTransport.answering(vmem::answer)) {
            EndpointSession ep = t.open(EndpointSessions.defaults());
            VmemDump.Result r = VmemDump.fromArgs().run(ep);
            assertThat(r.hostId()).isEqualTo("pktendpt");
            assertThat(r.clock()).isEqualTo(PktlabTime.toInstant(now));
            assertThat(r.transports()).containsExactlyInAnyOrder(Proto.TCP, Proto.UDP);
            assertThat(r.bufMax()).isEqualTo(8 << 20);
            assertThat(r.bufUsed()).isEqualTo(4096);
            assertThat(r.localAddresses()).extracting(Object::toString).containsExactly("127.0.0.1/8", "0:0:0:0:0:0:0:1");
            assertThat(r.dnsServers()).containsExactly(InetAddress.getByName("127.0.0.1"));
            assertThat(r.sockets()).singleElement().satisfies(s -> {
                assertThat(s.sktid()).isEqualTo(7);
                assertThat(s.proto()).isEqualTo(Proto.UDP);
                assertThat(s.local().getPort()).isEqualTo(40000);
            });
            assertThat(r.table().rows()).contains(List.of("hostid", "pktendpt"), List.of("transports", "TCP UDP"),
                    List.of("BufMax", "8388608"), List.of("local addresses", "127.0.0.1/8 0:0:0:0:0:0:0:1"),
                    List.of("socket 7", "UDP OPEN /0.0.0.0:40000, rbuf 0/4096"));
            assertThat(r.summary()).isEqualTo("pktendpt: TCP/UDP, 2 local addresses, 1 DNS servers, 1 sockets in use, buffer 4096/8388608");
        }
        assertThatThrownBy(() -> VmemDump.fromArgs("x")).isInstanceOf(IllegalArgumentException.class);
    }
}
