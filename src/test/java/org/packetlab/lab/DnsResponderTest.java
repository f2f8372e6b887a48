package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.dns.DnsFormatException;
import org.packetlab.dns.DnsMessage;
import org.packetlab.dns.DnsQuestion;
import org.packetlab.dns.DnsRecord;
import org.packetlab.dns.DnsType;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DnsResponderTest {

    private static final HexFormat HEX = HexFormat.of();
    /** Guards every receive; the test timeout is shorter. */
    private static final int RECEIVE_TIMEOUT_MILLIS = 30_000;

    private DnsResponder responder;
    private DatagramSocket client;

    @BeforeEach
    void start() throws IOException {
        responder = DnsResponder.start(new InetSocketAddress("127.0.0.1", 0));
        client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        client.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
    }

    @AfterEach
    void close() {
        client.close();
        responder.close();
        assertThat(responder.threadsEnded()).as("no thread outlives close()").isTrue();
    }

    @Test
    void answersTheReferenceMletsQueryAsTheReferenceLabDid() throws IOException {
        byte[] answer = exchange(Arrays.copyOfRange(vector("mlet_leg.mlet2xpmgr.bin"), 40, 69));
        byte[] reference = Arrays.copyOfRange(vector("mlet_leg.xpmgr2mlet.bin"), 44, 89);
        // the reference lab ran a recursive resolver (RA set); we are authoritative only
        assertThat(answer[3] & DnsMessage.RA).isZero();
        answer[3] |= (byte) DnsMessage.RA;
        assertThat(HEX.formatHex(answer)).isEqualTo(HEX.formatHex(reference));
    }

    @Test
    void pktlabTestIs127_0_0_3WhateverTheCase() throws IOException {
        DnsMessage answer = ask(DnsMessage.query(5566, "PktLab.TEST.", DnsType.A));
        assertThat(answer.id()).isEqualTo(5566);
        assertThat(answer.isResponse()).isTrue();
        assertThat(answer.hasFlag(DnsMessage.AA)).isTrue();
        assertThat(answer.hasFlag(DnsMessage.RD)).as("RD copied from the query").isTrue();
        assertThat(answer.rcode()).isEqualTo(DnsMessage.NOERROR);
        assertThat(answer.questions()).containsExactly(new DnsQuestion("PktLab.TEST", DnsType.A));
        assertThat(answer.answers()).containsExactly(DnsRecord.address("PktLab.TEST", 0, InetAddress.getByName("127.0.0.3")));
        assertThat(ask(DnsMessage.query(1, "example.test", DnsType.A)).answers())
                .containsExactly(DnsRecord.address("example.test", 0, InetAddress.getByName("127.0.0.4")));
    }

    @Test
    void unknownNameIsNxdomainWithTheQuestionCopied() throws IOException {
        DnsMessage answer = ask(DnsMessage.query(77, "nowhere.test", DnsType.A));
        assertThat(answer.id()).isEqualTo(77);
        assertThat(answer.rcode()).isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(answer.questions()).containsExactly(new DnsQuestion("nowhere.test", DnsType.A));
        assertThat(answer.answers()).isEmpty();
    }

    @Test
    void aaaaQueryGetsOnlyIpv6Addresses() throws IOException {
        InetAddress v4 = InetAddress.getByName("127.0.0.5");
        InetAddress v6 = InetAddress.getByName("::1");
        try (DnsResponder dual = DnsResponder.builder().host("dual.test", v4, v6).start()) {
            assertThat(ask(dual, DnsMessage.query(1, "dual.test", DnsType.AAAA)).answers())
                    .containsExactly(DnsRecord.address("dual.test", 0, v6));
            assertThat(ask(dual, DnsMessage.query(2, "dual.test", DnsType.A)).answers())
                    .containsExactly(DnsRecord.address("dual.test", 0, v4));
            DnsMessage noV6 = ask(dual, DnsMessage.query(3, "pktlab.test", DnsType.AAAA));
            assertThat(noV6.rcode()).isEqualTo(DnsMessage.NOERROR);
            assertThat(noV6.answers()).isEmpty();
        }
    }

    @Test
    void garbageAfterAReadableHeaderGetsFormerrWithItsId() throws IOException, DnsFormatException {
        byte[] garbage = HEX.parseHex("4242" + "0100" + "0001000000000000" + "ffff");
        DnsMessage answer = DnsMessage.decode(exchange(garbage));
        assertThat(answer.id()).isEqualTo(0x4242);
        assertThat(answer.isResponse()).isTrue();
        assertThat(answer.rcode()).isEqualTo(DnsMessage.FORMERR);
        assertThat(answer.questions()).isEmpty();
        assertThat(responder.queriesAnswered()).isEqualTo(1);
    }

    @Test
    void shortDatagramsAndResponsesAreDroppedWhileQueriesGoOn() throws IOException {
        send(HEX.parseHex("0102030405"));
        send(new DnsMessage(1, DnsMessage.QR, List.of(new DnsQuestion("pktlab.test", DnsType.A)), List.of()).encode());
        send(HEX.parseHex("0003" + "8000" + "0001000000000000" + "ff"));
        // datagrams on loopback keep their order: the first answer back must be this query's
        DnsMessage answer = ask(DnsMessage.query(2, "pktlab.test", DnsType.A));
        assertThat(answer.id()).isEqualTo(2);
        assertThat(responder.queriesAnswered()).isEqualTo(1);
    }

    @Test
    void servesOnIpv6Loopback() throws IOException {
        try (DnsResponder v6 = DnsResponder.start(new InetSocketAddress("::1", 0));
                DatagramSocket c6 = new DatagramSocket(new InetSocketAddress("::1", 0))) {
            c6.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
            byte[] q = DnsMessage.query(9, "pktlab.test", DnsType.A).encode();
            c6.send(new DatagramPacket(q, q.length, v6.address()));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            c6.receive(p);
            DnsMessage answer = DnsMessage.decode(Arrays.copyOf(p.getData(), p.getLength()));
            assertThat(answer.answers()).extracting(DnsRecord::name).containsExactly("pktlab.test");
        }
    }

    @Test
    void closeReleasesThePort() throws IOException {
        InetSocketAddress address = responder.address();
        assertThat(ask(DnsMessage.query(1, "pktlab.test", DnsType.A)).rcode()).isZero();
        responder.close();
        try (DatagramSocket again = new DatagramSocket(address)) {
            assertThat(again.getLocalPort()).isEqualTo(address.getPort());
        }
    }

    @Test
    void zoneNamesAreCanonicalAndCheckedAtOnce() throws IOException {
        try (DnsResponder custom = DnsResponder.builder()
                .zone(java.util.Map.of("Lab.Test.", List.of(InetAddress.getByName("127.0.0.9")))).start()) {
            assertThat(custom.zone()).containsOnlyKeys("lab.test");
            assertThat(ask(custom, DnsMessage.query(1, "pktlab.test", DnsType.A)).rcode())
                    .as("zone() replaced the default names").isEqualTo(DnsMessage.NXDOMAIN);
        }
        assertThatThrownBy(() -> DnsResponder.builder().host("a..test", InetAddress.getByName("127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty label");
        assertThatThrownBy(() -> DnsResponder.builder().address(new InetSocketAddress("0.0.0.0", 53)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address");
    }

    private DnsMessage ask(DnsMessage query) throws IOException {
        return ask(responder, query);
    }

    private DnsMessage ask(DnsResponder to, DnsMessage query) throws IOException {
        return DnsMessage.decode(exchange(to, query.encode()));
    }

    private byte[] exchange(byte[] datagram) throws IOException {
        return exchange(responder, datagram);
    }

    private byte[] exchange(DnsResponder to, byte[] datagram) throws IOException {
        client.send(new DatagramPacket(datagram, datagram.length, to.address()));
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        client.receive(p);
        assertThat(p.getSocketAddress()).isEqualTo(to.address());
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    private void send(byte[] datagram) throws IOException {
        client.send(new DatagramPacket(datagram, datagram.length, responder.address()));
    }

    private static byte[] vector(String file) throws IOException {
        try (InputStream in = DnsResponderTest.class.getResourceAsStream("/vectors/session-dns/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }
}
