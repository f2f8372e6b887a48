package org.packetlab.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Digest;

/** Policy files: every key, the errors that name file, line and key, and what a policy lets a request ask. */
class PortalPolicyTest {
    private static final String DIGEST = "ab".repeat(32);

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path p = dir.resolve("lab-policy.properties");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void policyFileSetsEveryKey() throws Exception {
        String keyId = PortalFixture.EXPERIMENTER.keyId().hex();
        PortalPolicy p = PortalPolicy.load(file("""
                # the network lab's portal
                name = netlab-2026
                types = exppriv, delpriv
                del_types = exppriv
                validity = 12h            # half a day
                description = network lab course
                path_len = 1
                limit.valid_dest = 127.0.0.0/8, ::1
                limit.max_num_priority = 5
                limit.max_socket_count = 16
                limit.max_exp_period = 2h
                limit.max_send_byte = 1000000
                limit.max_send_pkt = 1000
                limit.max_recv_byte = 2000000
                limit.max_recv_pkt = 2000
                limit.max_burst_rate_byte = 100000/1000000000
                limit.max_burst_rate_pkt = 100/1000000000,1000/60000000000
                limit.src_ip_spoofing = 0
                limit.monitor = %s
                allow_key_ids = %s
                invitation_code = open#sesame#42
                max_requests_per_minute = 12
                """.formatted(DIGEST, keyId)));
        assertThat(p.name()).isEqualTo("netlab-2026");
        assertThat(p.types()).containsExactly(CertType.EXPPRIV, CertType.DELPRIV);
        assertThat(p.delTypes()).containsExactly(DelType.EXPPRIV);
        assertThat(p.validFor()).hasValue(Duration.ofHours(12));
        assertThat(p.validUntil()).isEmpty();
        assertThat(p.description()).hasValue("network lab course");
        assertThat(p.pathLen()).hasValue(1);
        assertThat(p.limits()).containsExactly(
                Map.entry("valid_dest", "127.0.0.0/8,::1"), Map.entry("max_num_priority", "5"), Map.entry("max_socket_count", "16"),
                Map.entry("max_exp_period", "7200000000000"), Map.entry("max_send_byte", "1000000"), Map.entry("max_send_pkt", "1000"),
                Map.entry("max_recv_byte", "2000000"), Map.entry("max_recv_pkt", "2000"),
                Map.entry("max_burst_rate_byte", "100000/1000000000"), Map.entry("max_burst_rate_pkt", "100/1000000000,1000/60000000000"),
                Map.entry("src_ip_spoofing", "0"), Map.entry("monitor", DIGEST));
        assertThat(p.allowedKeyIds()).containsExactly(PortalFixture.EXPERIMENTER.keyId());
        assertThat(p.requiresInvitationCode()).isTrue();
        assertThat(p.codeMatches("open#sesame#42")).isTrue();
        assertThat(p.codeMatches("open")).isFalse();
        assertThat(p.codeMatches(null)).isFalse();
        assertThat(p.maxRequestsPerMinute()).isEqualTo(12);

        Cert cert = p.certificate(Csr.exppriv().signWith(PortalFixture.EXPERIMENTER), PortalFixture.NOW).signWith(PortalFixture.OPERATOR);
        assertThat(cert.limits().pairs().toString()).isEqualTo("valid_dest=127.0.0.0/8,::1;max_num_priority=5;max_socket_count=16;"
                + "max_exp_period=7200000000000;max_send_byte=1000000;max_send_pkt=1000;max_recv_byte=2000000;max_recv_pkt=2000;"
                + "max_burst_rate_byte=100000/1000000000;max_burst_rate_pkt=100/1000000000,1000/60000000000;src_ip_spoofing=0;monitor=" + DIGEST + ";");
        assertThat(cert.limits().maxExpPeriod()).hasValue(Duration.ofHours(2).toNanos());
        assertThat(cert.pathLen()).hasValue(1);
        assertThat(cert.notAfter()).isEqualTo(PortalFixture.NOW.plus(Duration.ofHours(12)));
    }

    @Test
    void nameDefaultsToTheFileNameAndValidityToThirtyDays() throws Exception {
        PortalPolicy p = PortalPolicy.load(file("\n# nothing but defaults\n"));
        assertThat(p.name()).isEqualTo("lab-policy");
        assertThat(p.types()).containsExactly(CertType.EXPPRIV);
        assertThat(p.validFor()).hasValue(Duration.ofDays(30));
        assertThat(p.limits()).isEmpty();
        assertThat(p.requiresInvitationCode()).isFalse();
        assertThat(p.codeMatches(null)).isTrue();
        assertThat(p.maxRequestsPerMinute()).isEqualTo(30);
    }

    @Test
    void validUntilADateMeansThroughTheEndOfThatDay() throws Exception {
        PortalPolicy p = PortalPolicy.load(file("valid_until = 2099-12-31\n"));
        assertThat(p.validUntil()).hasValue(Instant.parse("2099-12-31T23:59:59Z"));
        assertThat(p.validFor()).isEmpty();
        Cert cert = p.certificate(Csr.exppriv().signWith(PortalFixture.EXPERIMENTER), PortalFixture.NOW).signWith(PortalFixture.OPERATOR);
        assertThat(cert.notAfter()).isEqualTo(Instant.parse("2099-12-31T23:59:59Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key                     | colour = blue                         | :1: colour: unknown key
            not KEY = VALUE                 | just words                            | :1: expected KEY = VALUE
            key twice                       | name = a\\nname = b                    | :2: name: set twice
            bad name                        | name = two words                      | :1: name: "two words" is not a name
            pubcmd type                     | types = pubcmd                        | :1: types: a portal issues exppriv and delpriv only, not pubcmd
            unknown type                    | types = expriv                        | :1: types: unknown type "expriv"
            delpriv without del_types       | types = delpriv                       | : types includes delpriv: set del_types
            del_types without delpriv       | del_types = exppriv                   | : del_types is set but types does not include delpriv
            bad duration                    | validity = forever                    | :1: validity: "forever" is not a duration
            zero duration                   | validity = 0d                         | :1: validity: duration "0d" must be positive
            bad date                        | valid_until = 31/12/2099              | :1: valid_until: "31/12/2099" is not a date
            past date                       | valid_until = 2001-01-01              | : valid_until 2001-01-01T23:59:59Z has passed
            both validities                 | validity = 1d\\nvalid_until = 2099-01-01 | : validity, valid_until: set one of them, not both
            bad description                 | description = caf\u00e9 <b>            | :1: description: "caf\u00e9 <b>" may only hold
            unknown limit                   | limit.max_sockets = 3                 | :1: limit.max_sockets: unknown limit "max_sockets"
            filter limit                    | limit.filter = %s                     | :1: limit.filter: unknown limit "filter"
            optional limit                  | limit.*max_socket_count = 3           | :1: limit.*max_socket_count: unknown limit
            not a number                    | limit.max_socket_count = ten          | :1: limit.max_socket_count: "ten" is not a number
            negative number                 | limit.max_send_byte = -1              | :1: limit.max_send_byte: "-1" is not a number
            huge number                     | limit.max_send_byte = 99999999999999999999 | :1: limit.max_send_byte: "99999999999999999999" is not a number from 0 to 9223372036854775807
            bad prefix                      | limit.valid_dest = 127.0.0.0/33       | :1: limit.valid_dest: prefix length 33 outside 0..32
            host name prefix                | limit.valid_dest = example.org        | :1: limit.valid_dest: "example.org" is not an IPv4 or IPv6 address
            empty prefix item               | limit.valid_dest = 127.0.0.1,,::1     | :1: limit.valid_dest: empty item
            bad spoofing                    | limit.src_ip_spoofing = yes           | :1: limit.src_ip_spoofing: "yes" must be 0 (forbidden) or 1 (allowed)
            bad burst                       | limit.max_burst_rate_byte = 100       | :1: limit.max_burst_rate_byte: "100" is not COUNT/WINDOW
            zero window                     | limit.max_burst_rate_pkt = 100/0      | :1: limit.max_burst_rate_pkt: window of "100/0" must be > 0
            bad digest                      | limit.monitor = abcd                  | :1: limit.monitor: SHA-256 digest needs 64 hex digits
            repeated digest                 | limit.monitor = %s,%s                 | :1: limit.monitor: a monitor digest is listed twice
            bad key id                      | allow_key_ids = 1234                  | :1: allow_key_ids: "1234" is not a key id
            short code                      | invitation_code = abc                 | :1: invitation_code: an invitation code needs at least 8 characters
            zero rate                       | max_requests_per_minute = 0           | :1: max_requests_per_minute: max_requests_per_minute must be 1..10000, not 0
            """)
    void badPolicyFilesAreRefusedNamingFileLineAndKey(String what, String text, String message) throws Exception {
        Path p = file(text.replace("\\n", "\n").replace("%s", DIGEST) + "\n");
        assertThatThrownBy(() -> PortalPolicy.load(p)).as(what).isInstanceOf(PortalPolicyException.class)
                .hasMessageStartingWith(p.toString()).hasMessageContaining(p + message);
    }

    @Test
    void hashFollowsTheContentNotCommentsOrSpacing() throws Exception {
        String a = PortalPolicy.load(file("name = x\nlimit.max_socket_count = 4\n")).sha256();
        String b = PortalPolicy.load(file("# comment\nname=x\n\n  limit.max_socket_count   =   4   # four\n")).sha256();
        String c = PortalPolicy.load(file("name = x\nlimit.max_socket_count = 5\n")).sha256();
        String code1 = PortalPolicy.load(file("name = x\ninvitation_code = aaaaaaaa\n")).sha256();
        String code2 = PortalPolicy.load(file("name = x\ninvitation_code = bbbbbbbb\n")).sha256();
        assertThat(a).isEqualTo(b).isNotEqualTo(c).hasSize(64);
        assertThat(code1).isNotEqualTo(code2);
    }

    @Test
    void requestWithinTheLimitsIsAcceptedAndEachExcessNamed() {
        PortalPolicy p = PortalPolicy.builder().limit("valid_dest", "10.0.0.0/8,::1").limit("max_send_byte", "1000")
                .limit("max_burst_rate_pkt", "10/1000").limit("src_ip_spoofing", "0").limit("monitor", DIGEST).build();
        var exper = PortalFixture.EXPERIMENTER;
        assertThat(p.refusal(Csr.exppriv().signWith(exper))).isEmpty();
        assertThat(p.refusal(Csr.exppriv().validDest("10.1.0.0/16", "::1").maxSendByte(1000).maxBurstRatePkt(new BurstRate(10, 1000))
                .srcIpSpoofing(false).monitor(Digest.fromHex(DIGEST)).signWith(exper))).isEmpty();
        assertThat(p.refusal(Csr.exppriv().validDest("::2").signWith(exper))).hasValueSatisfying(m -> assertThat(m).contains("::2"));
        assertThat(p.refusal(Csr.exppriv().validDest("0.0.0.0/0").signWith(exper))).isPresent();
        assertThat(p.refusal(Csr.exppriv().maxSendByte(1001).signWith(exper))).hasValueSatisfying(m -> assertThat(m).contains("max_send_byte=1001"));
        assertThat(p.refusal(Csr.exppriv().maxBurstRatePkt(new BurstRate(10, 2000)).signWith(exper))).isPresent();
        assertThat(p.refusal(Csr.exppriv().maxBurstRatePkt(new BurstRate(11, 1000)).signWith(exper))).isPresent();
        assertThat(p.refusal(Csr.exppriv().monitor(Digest.fromHex("cd".repeat(32))).signWith(exper))).isPresent();
        assertThat(p.refusal(Csr.exppriv().optionalLimit("note", "x").signWith(exper)))
                .hasValueSatisfying(m -> assertThat(m).contains("\"*note\""));
        PortalPolicy open = PortalPolicy.defaults();
        assertThat(open.refusal(Csr.exppriv().maxSendByte(Long.MAX_VALUE).validDest("0.0.0.0/0").srcIpSpoofing(true).signWith(exper)))
                .as("no policy limit: any wish is within it").isEmpty();
    }

    @Test
    void passedValidUntilIsCheckedAgainstTheBuildersClock() {
        Clock late = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        assertThatThrownBy(() -> PortalPolicy.builder().validUntil(Instant.parse("2029-12-31T00:00:00Z")).clock(late).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has passed");
    }
}
