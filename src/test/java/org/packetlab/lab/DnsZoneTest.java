package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.packetlab.dns.DnsMessage;
import org.packetlab.dns.DnsQuestion;
import org.packetlab.dns.DnsType;

class DnsZoneTest {

    private final DnsZone zone = zone(Map.of("pktlab.test", List.of(address(127, 0, 0, 3))));

    @Test
    void otherOpcodesAreNotImplemented() {
        DnsMessage status = new DnsMessage(1, 2 << 11, List.of(new DnsQuestion("pktlab.test", DnsType.A)), List.of());
        DnsMessage answer = zone.answer(status);
        assertThat(answer.rcode()).isEqualTo(DnsMessage.NOTIMP);
        assertThat(answer.opcode()).isEqualTo(2);
    }

    @Test
    void otherClassesAreRefused() {
        DnsMessage chaos = new DnsMessage(1, 0, List.of(new DnsQuestion("pktlab.test", DnsType.A, 3)), List.of());
        assertThat(zone.answer(chaos).rcode()).isEqualTo(DnsMessage.REFUSED);
    }

    @Test
    void queriesWithoutExactlyOneQuestionAreFormatErrors() {
        DnsQuestion q = new DnsQuestion("pktlab.test", DnsType.A);
        assertThat(zone.answer(new DnsMessage(1, 0, List.of(), List.of())).rcode()).isEqualTo(DnsMessage.FORMERR);
        assertThat(zone.answer(new DnsMessage(1, 0, List.of(q, q), List.of())).rcode()).isEqualTo(DnsMessage.FORMERR);
    }

    @Test
    void anyQueryGetsEveryAddress() {
        DnsZone dual = zone(Map.of("d.test", List.of(address(127, 0, 0, 1), address(0, 0, 0, 0, 0, 0, 0, 1))));
        assertThat(dual.answer(DnsMessage.query(1, "d.test", DnsType.ANY)).answers()).hasSize(2);
        assertThat(dual.answer(DnsMessage.query(1, "d.test", DnsType.MX)).answers()).isEmpty();
    }

    @Test
    void answerTooBigForUdpIsTruncatedAndEmpty() {
        List<InetAddress> many = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(address(127, 0, 1, i));
        }
        DnsMessage answer = zone(Map.of("big.test", many)).answer(DnsMessage.query(1, "big.test", DnsType.A));
        assertThat(answer.hasFlag(DnsMessage.TC)).isTrue();
        assertThat(answer.answers()).isEmpty();
        assertThat(answer.encode().length).isLessThanOrEqualTo(DnsZone.MAX_UDP_ANSWER);
        List<InetAddress> fit = many.subList(0, 30);
        assertThat(zone(Map.of("big.test", fit)).answer(DnsMessage.query(1, "big.test", DnsType.A)).answers()).hasSize(30);
    }

    @Test
    void formatErrorEchoesIdOpcodeAndRecursionDesired() {
        DnsMessage e = DnsZone.formatError(0xABCD, (1 << 11) | DnsMessage.RD | DnsMessage.AA | 7);
        assertThat(e.id()).isEqualTo(0xABCD);
        assertThat(e.flags()).isEqualTo(DnsMessage.QR | (1 << 11) | DnsMessage.RD | DnsMessage.FORMERR);
    }

    private static DnsZone zone(Map<String, List<InetAddress>> hosts) {
        return new DnsZone(hosts);
    }

    private static InetAddress address(int... parts) {
        byte[] b = new byte[parts.length == 4 ? 4 : 16];
        if (parts.length == 4) {
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) parts[i];
            }
        } else {
            for (int i = 0; i < 8; i++) {
                b[2 * i] = (byte) (parts[i] >>> 8);
                b[2 * i + 1] = (byte) parts[i];
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
