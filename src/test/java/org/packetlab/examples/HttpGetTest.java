package org.packetlab.examples;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.mlet.Mlet;
import org.packetlab.wire.PktlabTime;

@Timeout(10)
class HttpGetTest {

    @Test
    void replaysTheReferenceSessionByteForByteAndReadsTheSameResponse() throws Exception {
        try (ReferenceSessions session = new ReferenceSessions("session-http-get")) {
            HttpGet.Result r = HttpGet.fetch(session.ep, "127.0.0.1", "/index.html");
            session.drain();

            assertThat(session.sentBytes()).isEqualTo(session.resource("mlet_leg.mlet2xpmgr.bin"));
            // what test_http_get printed: the response, then which GET through which endpoint
            String printed = r.response() + "\n\n(HTTP GET for 127.0.0.1/index.html via "
                    + session.ep.address().getHostAddress() + ")\n";
            assertThat(printed).isEqualTo(new String(session.resource("xpmgr.stdout.txt"), ISO_8859_1));

            assertThat(r.statusLine()).isEqualTo("HTTP/1.0 200 OK");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers()).contains("Content-Length: 74", "Content-type: text/html");
            assertThat(new String(r.body(), ISO_8859_1))
                    .isEqualTo("<html><body><h1>Hello from local PacketLab test server</h1></body></html>\n");
            assertThat(r.server()).isEqualTo(new InetSocketAddress("127.0.0.1", 80));
            // the ntag's time, and the last ndata's time, of the recording
            assertThat(r.sentAt()).isEqualTo(PktlabTime.toInstant(1_795_633_586_868_529_892L));
            assertThat(r.lastByteAt()).isEqualTo(PktlabTime.toInstant(1_795_633_586_871_059_693L));
            assertThat(r.endpointElapsed()).isEqualTo(Duration.ofNanos(2_529_801));
            assertThat(r.summary()).startsWith("HTTP/1.0 200 OK, 74 body bytes from 127.0.0.1:80/index.html in 2529 us");
        }
    }

    @Test
    void theMletFromCommandLineWordsRunsTheSameExchange() throws Exception {
        try (ReferenceSessions session = new ReferenceSessions("session-http-get")) {
            Mlet<HttpGet.Result> mlet = HttpGet.fromArgs("127.0.0.1", "/index.html");
            assertThat(mlet.run(session.ep).statusCode()).isEqualTo(200);
            assertThat(session.sentBytes()).isEqualTo(session.resource("mlet_leg.mlet2xpmgr.bin"));
        }
    }

    @Test
    void commandLineWordsNameHostPortAndPath() throws Exception {
        assertThat(HttpGet.fromArgs()).usingRecursiveComparison().isEqualTo(new HttpGet("www.example.com", 80, "/"));
        assertThat(HttpGet.fromArgs("127.0.0.1:8080", "/x")).usingRecursiveComparison().isEqualTo(new HttpGet("127.0.0.1", 8080, "/x"));
        assertThat(HttpGet.fromArgs("[::1]:81")).usingRecursiveComparison().isEqualTo(new HttpGet("::1", 81, "/"));
        assertThat(HttpGet.fromArgs("::1")).usingRecursiveComparison().isEqualTo(new HttpGet("::1", 80, "/"));
        assertThatThrownBy(() -> HttpGet.fromArgs("a", "b", "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpGet.fromArgs("h", "no-slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpGet.fromArgs("h:0")).isInstanceOf(IllegalArgumentException.class);
    }
}
