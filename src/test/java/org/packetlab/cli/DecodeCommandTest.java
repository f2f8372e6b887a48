package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pktlab decode}, run through Main with captured output. */
@Timeout(20)
class DecodeCommandTest {

    @TempDir
    Path dir;

    private static byte[] vector(String name) throws IOException {
        try (InputStream in = DecodeCommandTest.class.getResourceAsStream("/vectors/" + name)) {
            assertThat(in).as("vector " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The reference's lines for one direction, without the direction label. */
    private static List<String> referenceLines(String decodedTxt, String direction) {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : decodedTxt.split("\n")) {
            if (line.startsWith("[" + direction + " #")) {
                inside = true;
                out.add("[#" + line.substring(direction.length() + 3));
            } else if (line.startsWith("[" + direction + "] ")) {
                out.add(line.substring(direction.length() + 3));
                inside = false;
            } else if (inside && line.startsWith("  ")) {
                out.add(line);
            } else {
                inside = false;
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
            "session-http-get, mlet_leg, mlet2xpmgr", "session-http-get, mlet_leg, xpmgr2mlet",
            "session-http-get, tls_leg, xpmgr2endpt", "session-http-get, tls_leg, endpt2xpmgr",
            "session-dns, mlet_leg, mlet2xpmgr", "session-dns, mlet_leg, xpmgr2mlet",
            "session-dns, tls_leg, xpmgr2endpt", "session-dns, tls_leg, endpt2xpmgr",
    })
    void printsTheReferenceLinesWithUnprintedFieldsOnlyAppended(String session, String leg, String direction) throws IOException {
        Path bin = file("stream.bin", vector(session + "/" + leg + "." + direction + ".bin"));
        List<String> expected = referenceLines(new String(vector(session + "/" + leg + ".decoded.txt"), StandardCharsets.UTF_8), direction);

        CapturedRun r = CapturedRun.of("decode", bin.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> got = r.outLines();
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            String ours = got.get(i);
            String ref = expected.get(i);
            if (!ours.equals(ref)) {
                assertThat(ours).as("line %d", i).startsWith(ref + " ");
                assertThat(ours.substring(ref.length() + 1)).as("appended fields of line %d", i).matches("raddr=\\S+ rport=\\d+");
            }
        }
    }

    @Test
    void establishedNstatAlsoShowsTheAddressTheReferenceOmits() throws IOException {
        Path bin = file("e.bin", vector("session-http-get/tls_leg.endpt2xpmgr.bin"));
        assertThat(CapturedRun.of("decode", bin.toString()).out())
                .contains("type=0x61(nstat) len=21 sktid=1 family=4 proto=6 time=1795633586868014894 code=0 raddr=127.0.0.1 rport=80");
    }

    @Test
    void jsonGivesOneObjectPerMessageWithUntruncatedData() throws IOException {
        Path bin = file("e.bin", vector("session-http-get/tls_leg.endpt2xpmgr.bin"));
        CapturedRun r = CapturedRun.of("decode", "--json", bin.toString());
        assertThat(r.exit()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(9);
        ObjectMapper json = new ObjectMapper();
        JsonNode ndata = json.readTree(lines.get(5));
        assertThat(ndata.get("type").asText()).isEqualTo("ndata");
        assertThat(ndata.get("offset").asLong()).isEqualTo(48);
        assertThat(ndata.get("len").asInt()).isEqualTo(200);
        assertThat(ndata.get("datalen").asInt()).isEqualTo(185);
        assertThat(ndata.get("time").asLong()).isEqualTo(1795633586871046934L);
        assertThat(ndata.get("data").asText()).startsWith("HTTP/1.0 200 OK\\x0d\\x0a").endsWith("GMT\\x0d\\x0a\\x0d\\x0a");
        assertThat(ndata.get("hex").asText()).hasSize(400);
        assertThat(json.readTree(lines.get(2)).get("raddr").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void unknownAndMalformedMessagesAreShownAsRaw() throws IOException {
        Path bin = file("raw.bin", new byte[] {(byte) 0x99, 0, 0, 1, 7, 0x28, 0, 0, 0});
        CapturedRun r = CapturedRun.of("decode", bin.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("[#0 @0] type=0x99(undefined) len=5 malformed=false reason=\"unknown type 0x99\"")
                .contains("[#1 @5] type=0x28(mread) len=4 malformed=true reason=\"mread body must be 6 bytes, got 0\"")
                .contains("2 messages, 9 bytes");
    }

    @Test
    void missingFileIsOneLineOnStderrAndExitOne() {
        CapturedRun r = CapturedRun.of("decode", dir.resolve("absent.bin").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).singleElement().asString().contains("absent.bin").contains("no such file");
    }

    @Test
    void directoryIsRefusedWithOneLine() {
        CapturedRun r = CapturedRun.of("decode", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().asString().contains("is a directory");
    }

    @Test
    void truncatedFilePrintsTheWholeMessagesThenOneErrorLine() throws IOException {
        byte[] stream = vector("session-dns/mlet_leg.mlet2xpmgr.bin");
        Path bin = file("t.bin", Arrays.copyOf(stream, 30));
        CapturedRun r = CapturedRun.of("decode", bin.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("[#0 @0] type=0x2a(nopen)").doesNotContain("messages,");
        assertThat(r.err().lines()).singleElement().asString().contains("ends inside a nsend message at offset 17");
    }

    @Test
    void bodyOverTheMaximumIsRefusedWithOneLine() throws IOException {
        Path bin = file("big.bin", new byte[] {0x62, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        CapturedRun r = CapturedRun.of("decode", "--max-body", "1024", bin.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).singleElement().asString().contains("exceeds the maximum of 1024");
    }

    @Test
    void missingArgumentIsAUsageError() {
        CapturedRun r = CapturedRun.of("decode");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("FILE");
    }
}
