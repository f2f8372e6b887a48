package org.packetlab.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.packetlab.portal.PortalFixture.plainCsr;
import static org.packetlab.portal.PortalFixture.serialOn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.ppks.Cert;

/** The issuance log across restarts and crashes: records, downloads and never-repeating serials. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IssuanceLogTest {
    /** A random source that always draws the same high part: only the sequence can keep serials apart. */
    private static final RandomGenerator SAME_HIGH_PART = () -> 0x1234_5678_9abc_def0L;

    @TempDir
    Path dir;
    private final PortalFixture f = PortalFixture.create();

    @Test
    void everyCertificateIsOneJsonLineWithSerialKeyTimePolicyTypeAndValidity() throws Exception {
        Path logFile = dir.resolve("issued.jsonl");
        PortalPolicy policy = PortalPolicy.builder().name("lab").limit("max_socket_count", "4").build();
        String serial;
        try (Portal p = f.portal(policy, logFile).start()) {
            serial = serialOn(f.upload(p, plainCsr()).body());
            f.upload(p, "junk".getBytes(StandardCharsets.US_ASCII), null);
        }
        List<String> lines = Files.readAllLines(logFile);
        assertThat(lines).as("refusals are not recorded").hasSize(1);
        JsonNode n = new ObjectMapper().readTree(lines.get(0));
        assertThat(n.get("serial").asText()).isEqualTo(serial);
        assertThat(n.get("subject_key_id").asText()).isEqualTo(PortalFixture.EXPERIMENTER.keyId().hex());
        assertThat(n.get("issued_at").asText()).isEqualTo(PortalFixture.NOW.toString());
        assertThat(n.get("policy").asText()).isEqualTo("lab");
        assertThat(n.get("policy_sha256").asText()).isEqualTo(policy.sha256()).hasSize(64);
        assertThat(n.get("type").asText()).isEqualTo("exppriv");
        assertThat(n.get("not_before").asText()).isEqualTo(PortalFixture.NOW.minus(Portal.CLOCK_SKEW).toString());
        assertThat(n.get("not_after").asText()).isEqualTo(PortalFixture.NOW.plus(java.time.Duration.ofDays(30)).toString());
        assertThat(n.get("limits").asText()).isEqualTo("max_socket_count=4;");
        assertThat(n.get("requester").asText()).isEqualTo("127.0.0.1");
        Cert recorded = Cert.parse(java.util.Base64.getDecoder().decode(n.get("cert").asText()));
        assertThat(recorded.serial().toString(16)).isEqualTo(serial);
    }

    @Test
    void logSurvivesRestartsAndSerialsNeverRepeat() throws Exception {
        Path logFile = dir.resolve("issued.jsonl");
        List<String> serials = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            try (Portal p = f.portal(PortalPolicy.defaults(), logFile).random(SAME_HIGH_PART).start()) {
                assertThat(p.issuedCount()).isEqualTo(2 * run);
                for (String earlier : serials) {
                    assertThat(f.get(p, "/certs/" + earlier + ".cert").statusCode()).as("issued in an earlier run").isEqualTo(200);
                }
                for (int i = 0; i < 2; i++) {
                    serials.add(serialOn(f.upload(p, plainCsr()).body()));
                }
            }
        }
        assertThat(new HashSet<>(serials)).hasSize(6);
        assertThat(serials).allSatisfy(s -> assertThat(new BigInteger(s, 16).shiftRight(32).longValue()).isPositive());
        assertThat(serials.stream().map(s -> new BigInteger(s, 16).longValue() & 0xffff_ffffL).toList())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(Files.readAllLines(logFile)).hasSize(6);
    }

    @Test
    void unfinishedLastLineOfACrashIsCutOffAndIssuingGoesOn() throws Exception {
        Path logFile = dir.resolve("issued.jsonl");
        try (Portal p = f.portal(PortalPolicy.defaults(), logFile).start()) {
            f.upload(p, plainCsr());
        }
        String complete = Files.readString(logFile);
        Files.writeString(logFile, complete.substring(0, complete.length() / 2), StandardOpenOption.APPEND);
        try (Portal p = f.portal(PortalPolicy.defaults(), logFile).start()) {
            assertThat(p.issuedCount()).isEqualTo(1);
            assertThat(Files.readString(logFile)).isEqualTo(complete);
            assertThat(f.upload(p, plainCsr()).statusCode()).isEqualTo(200);
        }
        List<String> lines = Files.readAllLines(logFile);
        assertThat(lines).hasSize(2);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            assertThat(seen.add(IssuanceLog.Entry.fromJson(line).serial().toString(16))).isTrue();
        }
    }

    @Test
    void damagedLogStopsTheStartNamingFileAndLine() throws Exception {
        Path logFile = dir.resolve("issued.jsonl");
        try (Portal p = f.portal(PortalPolicy.defaults(), logFile).start()) {
            f.upload(p, plainCsr());
        }
        String good = Files.readString(logFile);
        Files.writeString(logFile, "{\"serial\":\"1\"}\n" + good);
        assertThatThrownBy(() -> f.portal(PortalPolicy.defaults(), logFile).start())
                .isInstanceOf(IOException.class).hasMessageContaining(logFile + ":1: not an issuance record");
        Files.writeString(logFile, good + good);
        assertThatThrownBy(() -> f.portal(PortalPolicy.defaults(), logFile).start())
                .isInstanceOf(IOException.class).hasMessageContaining(logFile + ":2: not an issuance record").hasMessageContaining("appears twice");
    }

    @Test
    void secondPortalOnTheSameLogIsRefused() throws Exception {
        Path logFile = dir.resolve("issued.jsonl");
        try (Portal p = f.portal(PortalPolicy.defaults(), logFile).start()) {
            assertThatThrownBy(() -> f.portal(PortalPolicy.defaults(), logFile).start())
                    .isInstanceOf(IOException.class).hasMessageContaining("in use by another portal");
            assertThat(f.get(p, "/").statusCode()).isEqualTo(200);
        }
        try (Portal again = f.portal(PortalPolicy.defaults(), logFile).start()) {
            assertThat(again.issuedCount()).isZero();
        }
    }
}
