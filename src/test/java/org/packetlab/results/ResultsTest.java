package org.packetlab.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.results.EndpointResult.Status;

@Timeout(10)
class ResultsTest {

    static final Instant T0 = Instant.parse("2026-11-25T21:00:55.123Z");

    static InetSocketAddress addr(String ip, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    record Page(int status, String body) implements Summarizable {
        @Override
        public String summary() {
            return "HTTP " + status + ", " + body.length() + " chars";
        }
    }

    static Results<Page> sample() throws IOException {
        return Results.of(List.of(
                EndpointResult.ok(addr("127.0.0.1", 40001), "lab-1", T0, T0.plusMillis(12), new Page(200, "<html>")),
                EndpointResult.failed(addr("::1", 40002), "lab-2", T0, T0.plusSeconds(2), Status.MLET_FAILED,
                        new IllegalStateException("boom, \"quoted\" <b>bold</b>")),
                EndpointResult.failed(addr("127.0.0.2", 40003), "", T0, T0.plusNanos(5_000), Status.REFUSED,
                        "TLS handshake failed: certificate chain not trusted", null),
                EndpointResult.failed(addr("127.0.0.3", 40004), "other", T0, T0.plusMillis(3), Status.SKIPPED,
                        "host id other does not match lab-*", null)));
    }

    @Test
    void valuesHoldOnlyOkResultsAndFailuresLeaveOutSkipped() throws IOException {
        Results<Page> r = sample();
        assertThat(r).hasSize(4);
        assertThat(r.values()).containsExactly(new Page(200, "<html>"));
        assertThat(r.failures()).extracting(EndpointResult::status).containsExactly(Status.MLET_FAILED, Status.REFUSED);
        assertThat(r.withStatus(Status.SKIPPED)).hasSize(1);
        assertThatThrownBy(() -> r.add(r.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void summaryCountsEachStatusOnOneLine() throws IOException {
        assertThat(sample().summary())
                .isEqualTo("4 endpoints: 1 ok, 1 mlet failed, 1 refused, 1 skipped (median duration 12.0 ms)");
        assertThat(Results.empty().summary()).isEqualTo("no endpoints");
    }

    @Test
    void errorNamesJavaLangExceptionTypesAndChainsCauses() throws IOException {
        var e = EndpointResult.failed(addr("127.0.0.1", 1), "", T0, T0, Status.SESSION_FAILED,
                new IOException("session lost", new ArithmeticException("/ by zero")));
        assertThat(e.error()).isEqualTo("session lost: ArithmeticException: / by zero");
    }

    @Test
    void textTableAlignsColumnsAndKeepsEachRowOnOneLine() throws IOException {
        var r = Results.of(List.of(
                EndpointResult.ok(addr("127.0.0.1", 40001), "h", T0, T0.plusMillis(12), "line1\nline2\tend"),
                EndpointResult.ok(addr("::1", 40002), "longer-host", T0, T0.plusNanos(850_000), "x")));
        String text = r.table().toText();
        List<String> lines = text.lines().toList();
        assertThat(lines).containsExactly(
                "2 endpoints: 2 ok (median duration 12.0 ms)",
                "#  endpoint         hostid       status  start (UTC)   duration  result",
                "-  ---------------  -----------  ------  ------------  --------  -----------------",
                "1  127.0.0.1:40001  h            ok      21:00:55.123  12.0 ms   line1\\nline2\\tend",
                "2  [::1]:40002      longer-host  ok      21:00:55.123  850 \u00b5s    x");
    }

    @Test
    void htmlEscapesEveryCellAndLoadsNothing() throws IOException {
        String html = sample().table().toHtml();
        assertThat(html).startsWith("<table class=\"pktlab-table\">\n<caption>4 endpoints: 1 ok")
                .contains("<th scope=\"col\">endpoint</th>")
                .contains("<td>IllegalStateException: boom, &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt;</td>")
                .contains("<td>[::1]:40002</td>")
                .doesNotContain("<b>", "<script", "src=", "href=", "<link", "style=");
    }

    @Test
    void htmlNeutralisesControlCharactersAndQuotes() {
        var t = new Table("a & b", List.of("x'y"), List.of(List.of("\u0000<img src=x onerror=alert(1)>")));
        assertThat(t.toHtml()).contains("<caption>a &amp; b</caption>")
                .contains("<th scope=\"col\">x&#39;y</th>")
                .contains("<td>\uFFFD&lt;img src=x onerror=alert(1)&gt;</td>");
    }

    @Test
    void csvQuotesCommasQuotesAndNewlinesAndKeepsFullValues() throws IOException {
        String body = "a".repeat(300) + ",\"x\"\r\nnext";
        var r = Results.of(List.of(
                EndpointResult.ok(addr("127.0.0.1", 40001), "h,1", T0, T0.plusMillis(12), body),
                EndpointResult.failed(addr("127.0.0.1", 40002), "h2", T0, T0.plusMillis(1), Status.SESSION_FAILED,
                        new IOException("endpoint closed the session"))));
        String csv = r.toCsv();
        assertThat(csv).isEqualTo(
                "endpoint,hostid,status,start,end,duration_ms,value,error\r\n"
                + "127.0.0.1:40001,\"h,1\",OK,2026-11-25T21:00:55.123Z,2026-11-25T21:00:55.135Z,12.000,\""
                + "a".repeat(300) + ",\"\"x\"\"\r\nnext\",\r\n"
                + "127.0.0.1:40002,h2,SESSION_FAILED,2026-11-25T21:00:55.123Z,2026-11-25T21:00:55.124Z,1.000,,endpoint closed the session\r\n");
    }

    @Test
    void tableShortensLongValuesButCsvDoesNot() throws IOException {
        var r = Results.of(List.of(EndpointResult.ok(addr("127.0.0.1", 1), "", T0, T0, "z".repeat(500))));
        String cell = r.table().rows().get(0).get(6);
        assertThat(cell).hasSize(Results.MAX_SUMMARY).endsWith("\u2026");
        assertThat(r.toCsv()).contains("z".repeat(500));
    }

    @Test
    void writeCsvWritesUtf8File(@TempDir Path dir) throws IOException {
        var r = Results.of(List.of(EndpointResult.ok(addr("127.0.0.1", 1), "h\u00e9", T0, T0, "\u00b5")));
        Path f = dir.resolve("r.csv");
        r.writeCsv(f);
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo(r.toCsv()).contains("h\u00e9");
    }

    @Test
    void ipv6AddressesUseTheShortForm() throws IOException {
        assertThat(EndpointResult.addressText(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(EndpointResult.addressText(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(EndpointResult.addressText(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(EndpointResult.addressText(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(EndpointResult.addressText(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(EndpointResult.addressText(InetAddress.getByName("1:0:0:2:0:0:0:3"))).isEqualTo("1:0:0:2::3");
    }

    @Test
    void valueSummaryPrefersSummarizableThenSizesByteArrays() {
        assertThat(EndpointResult.summarize(new Page(404, "nope"))).isEqualTo("HTTP 404, 4 chars");
        assertThat(EndpointResult.summarize(new byte[7])).isEqualTo("7 bytes");
        assertThat(EndpointResult.summarize(null)).isEqualTo("null");
        assertThat(EndpointResult.summarize(Duration.ofMillis(5))).isEqualTo("PT0.005S");
    }

    @Test
    void recordRejectsInconsistentOutcomes() throws IOException {
        var a = addr("127.0.0.1", 1);
        assertThatThrownBy(() -> new EndpointResult<>(a, "", T0, T0, Status.OK, "v", "err", null))
                .hasMessageContaining("OK result carries no error");
        assertThatThrownBy(() -> new EndpointResult<>(a, "", T0, T0, Status.REFUSED, null, " ", null))
                .hasMessageContaining("needs an error message");
        assertThatThrownBy(() -> EndpointResult.ok(a, "", T0.plusSeconds(1), T0, "v"))
                .hasMessageContaining("before start");
        assertThatThrownBy(() -> new Table("", List.of("a", "b"), List.of(List.of("1"))))
                .hasMessageContaining("row 0 has 1 cells for 2 columns");
    }
}
