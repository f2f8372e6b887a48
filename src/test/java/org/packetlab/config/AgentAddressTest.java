package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class AgentAddressTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1|127.0.0.1|-1",
            "127.0.0.1:20557|127.0.0.1|20557",
            "localhost:0|localhost|0",
            "[::1]:20556|::1|20556",
            "[2001:db8::1]:1|2001:db8::1|1",
            "2001:db8::1|2001:db8::1|-1",
            "fe80::1|fe80::1|-1",
            "broker.example.net:20557|broker.example.net|20557",
            // the 5th-character rule [quirk]: a 4-character host with a port is taken as an IPv6 literal
            "host:20556|host:20556|-1",
            "[host]:20556|host|20556",
    })
    void parsesByTheRulesOfAgentsA1(String text, String host, int port) {
        AgentAddress a = AgentAddress.parse(text);
        assertThat(a.host()).isEqualTo(host);
        assertThat(a.port()).isEqualTo(port < 0 ? OptionalInt.empty() : OptionalInt.of(port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[::1]", "[::1]20556", "[::1", "::1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
            "127.0.0.1:x", "", ":20556", "a b:1"})
    void refusesMalformedText(String text) {
        assertThatThrownBy(() -> AgentAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:20556", "[::1]:20556", "2001:db8::1", "[host]:1", "host",
            "localhost:0"})
    void toStringParsesBackToAnEqualAddress(String text) {
        AgentAddress a = AgentAddress.parse(text);
        assertThat(AgentAddress.parse(a.toString())).isEqualTo(a);
    }

    @Test
    void fourCharacterHostWithPortIsWrittenBracketed() {
        assertThat(AgentAddress.of("host", 20556).toString()).isEqualTo("[host]:20556");
        assertThat(AgentAddress.of("::1", 20556).toString()).isEqualTo("[::1]:20556");
    }

    @Test
    void shortIpv6WithoutPortCannotBeWritten() {
        assertThatThrownBy(() -> AgentAddress.of("::1")).hasMessageContaining("bracketed with a port");
    }

    @Test
    void defaultPortDependsOnTheUse() {
        AgentAddress a = AgentAddress.of("127.0.0.1");
        assertThat(a.port(AgentAddress.DefaultPort.MANAGER)).isEqualTo(20556);
        assertThat(a.port(AgentAddress.DefaultPort.PROXY)).isEqualTo(20557);
        assertThat(a.port(AgentAddress.DefaultPort.BROKER_PUBLISH)).isEqualTo(20556);
        assertThat(a.port(AgentAddress.DefaultPort.BROKER_SUBSCRIBE)).isEqualTo(20557);
        assertThat(AgentAddress.of("127.0.0.1", 7).port(AgentAddress.DefaultPort.PROXY)).isEqualTo(7);
    }

    @Test
    void resolvesLoopbackLiteralsAndLocalhost() throws Exception {
        assertThat(AgentAddress.parse("[::1]:9").resolve(AgentAddress.DefaultPort.MANAGER))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 9));
        InetSocketAddress local = AgentAddress.parse("localhost").resolve(AgentAddress.DefaultPort.BROKER_SUBSCRIBE);
        assertThat(local.getAddress().isLoopbackAddress()).isTrue();
        assertThat(local.getPort()).isEqualTo(20557);
    }
}
