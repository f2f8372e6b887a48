package org.packetlab.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.dns.DnsMessage;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.EndpointSessions;
import org.packetlab.mlet.ScriptedTransport;
import org.packetlab.mlet.VmemImage;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Vmem;

@Timeout(10)
class DnsTest {

    @Test
    void replaysTheReferenceSessionByteForByteAndDecodesTheSameAnswer() throws Exception {
        try (ReferenceSessions session = new ReferenceSessions("session-dns")) {
            Dns.Result r = Dns.query(session.ep, "pktlab.test", InetAddress.getByName("127.0.0.1"));
            session.drain();

            assertThat(session.sentBytes()).isEqualTo(session.resource("mlet_leg.mlet2xpmgr.bin"));
            String printed = r.summary() + " (via " + session.ep.address().getHostAddress() + ")\n";
            assertThat(printed).isEqualTo(new String(session.resource("xpmgr.stdout.txt"), java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(r.rcode()).isEqualTo(DnsMessage.NOERROR);
            assertThat(r.addresses()).containsExactly(InetAddress.getByName("127.0.0.3"));
            assertThat(r.sentAt()).isEqualTo(PktlabTime.toInstant(1_795_633_590_288_061_382L));
            assertThat(r.endpointRtt()).isEqualTo(Duration.ofNanos(1_795_633_590_288_251_556L - 1_795_633_590_288_061_382L));
        }
    }

    @Test
    void theMletFromCommandLineWordsRunsTheSameExchange() throws Exception {
        try (ReferenceSessions session = new ReferenceSessions("session-dns")) {
            assertThat(Dns.fromArgs("pktlab.test", "127.0.0.1").run(session.ep).summary()).isEqualTo("pktlab.test is 127.0.0.3");
            assertThat(session.sentBytes()).isEqualTo(session.resource("mlet_leg.mlet2xpmgr.bin"));
        }
    }

    @Test
    void withoutAResolverTheEndpointsFirstExportedOneIsAsked() throws Exception {
        VmemImage vmem = new VmemImage().put(Vmem.SYSPARAM_IP4DNSNO, new byte[] {2, 0})
                .put(Vmem.SYSPARAM_IP4DNSLS, new byte[] {127, 0, 0, 53, 127, 0, 0, 54});
        try (ScriptedTransport t = ScriptedTransport.answering(vmem::answer)) {
            EndpointSession ep = t.open(EndpointSessions.defaults().timeout(Duration.ofMillis(300)));
            // no answer comes: the query's destination is what this test is about
            assertThatThrownBy(() -> Dns.query(ep, "pktlab.test")).isInstanceOf(java.net.SocketTimeoutException.class);
            assertThat(t.sent()).filteredOn(m -> m instanceof Nsend).singleElement()
                    .satisfies(m -> assertThat(((Nsend) m).destination()).contains(
                            new java.net.InetSocketAddress("127.0.0.53", 53)));
        }
    }

    @Test
    void anEndpointWithoutResolversNeedsOneNamed() throws Exception {
        try (ScriptedTransport t = ScriptedTransport.answering(new VmemImage()::answer)) {
            EndpointSession ep = t.open(EndpointSessions.defaults());
            assertThatThrownBy(() -> Dns.query(ep, "pktlab.test")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no DNS resolver");
            assertThat(t.sent()).hasSize(1);
        }
    }

    @Test
    void summariesReadLikeTheReference() {
        var none = new Dns.Result("gone.test", InetAddress.getLoopbackAddress(), DnsMessage.NXDOMAIN, List.of(),
                PktlabTime.toInstant(1), PktlabTime.toInstant(2), Duration.ZERO);
        assertThat(none.summary()).isEqualTo("gone.test does not exist");
        assertThatThrownBy(() -> Dns.fromArgs("a", "127.0.0.1", "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandLineWordsNameTheResolverAndItsPort() throws Exception {
        assertThat(Dns.fromArgs("n.test", "127.0.0.1:5353")).usingRecursiveComparison()
                .isEqualTo(new Dns("n.test", new java.net.InetSocketAddress("127.0.0.1", 5353)));
        assertThat(Dns.fromArgs("n.test", "[::1]:5353")).usingRecursiveComparison()
                .isEqualTo(new Dns("n.test", new java.net.InetSocketAddress("::1", 5353)));
        assertThat(Dns.fromArgs("n.test", "::1")).usingRecursiveComparison()
                .isEqualTo(new Dns("n.test", new java.net.InetSocketAddress("::1", 53)));
        assertThat(Dns.fromArgs()).usingRecursiveComparison().isEqualTo(new Dns("www.example.com", null));
    }
}
