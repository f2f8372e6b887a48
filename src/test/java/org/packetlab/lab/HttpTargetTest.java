package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpTargetTest {

    private HttpTarget target;

    @BeforeEach
    void start() throws IOException {
        target = HttpTarget.start(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void close() {
        target.close();
        assertThat(target.threadsEnded()).as("no thread outlives close()").isTrue();
    }

    @Test
    void http10GetOfIndexAnswersThePageThenEndsTheConnection() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            // the exact request of the reference test_http_get 127.0.0.1 /index.html
            RawHttp.send(s, "GET /index.html HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(all).startsWith("HTTP/1.0 200 OK\r\n")
                    .contains("\r\ncontent-length: " + HttpTarget.INDEX_PAGE.length() + "\r\n")
                    .contains("\r\ncontent-type: text/html")
                    .endsWith("\r\n\r\n" + HttpTarget.INDEX_PAGE);
        }
        assertThat(target.requestsServed()).isEqualTo(1);
    }

    @Test
    void rootServesTheIndexPage() throws IOException {
        RawHttp.Response r = RawHttp.get10(target.address(), "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(HttpTarget.INDEX_PAGE).contains("PacketLab lab target");
    }

    @Test
    void bytesPathStreamsExactlyNBytesOfTheBulkPattern() throws IOException {
        int n = 3 * BulkBody.CHUNK * 16 + 7;
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET /bytes/" + n + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = s.getInputStream();
            RawHttp.Response r = RawHttp.read(in);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(n);
            for (int i = 0; i < n; i++) {
                if (r.body()[i] != BulkBody.byteAt(i)) {
                    throw new AssertionError("byte " + i + " is " + r.body()[i] + ", expected " + BulkBody.byteAt(i));
                }
            }
            assertThat(in.read()).as("EOF right after the N bytes").isEqualTo(-1);
        }
    }

    @Test
    void bytesOutsideTheLimitOrNotANumberAreBadRequests() throws IOException {
        assertThat(RawHttp.get10(target.address(), "/bytes/" + (HttpTarget.MAX_BULK_BYTES + 1)).status()).isEqualTo(400);
        assertThat(RawHttp.get10(target.address(), "/bytes/99999999999999999999").status()).isEqualTo(400);
        assertThat(RawHttp.get10(target.address(), "/bytes/-1").status()).isEqualTo(400);
        assertThat(RawHttp.get10(target.address(), "/bytes/").status()).isEqualTo(400);
        RawHttp.Response empty = RawHttp.get10(target.address(), "/bytes/0");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void unknownPathIsNotFound() throws IOException {
        assertThat(RawHttp.get10(target.address(), "/nope").status()).isEqualTo(404);
    }

    @Test
    void otherMethodsAreNotImplemented() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(501);
        }
    }

    @Test
    void echoAnswersTheRequestLineAndHeaders() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET /echo?x=1 HTTP/1.0\r\nHost: lab\r\nX-Probe: 42\r\n\r\n");
            RawHttp.Response r = RawHttp.read(s.getInputStream());
            assertThat(r.text()).startsWith("GET /echo?x=1 HTTP/1.0\n").contains("Host: lab\n").contains("X-Probe: 42\n");
        }
    }

    @Test
    void keepAliveConnectionAnswersPipelinedRequestsInOrder() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET /bytes/300000 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n");
            InputStream in = s.getInputStream();
            RawHttp.Response bulk = RawHttp.read(in);
            assertThat(bulk.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(bulk.body()).hasSize(300_000);
            assertThat(RawHttp.read(in).text()).isEqualTo(HttpTarget.INDEX_PAGE);
            assertThat(RawHttp.read(in).status()).isEqualTo(404);

            RawHttp.send(s, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            RawHttp.Response last = RawHttp.read(in);
            assertThat(last.headers()).containsEntry("connection", "close");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(target.requestsServed()).isEqualTo(4);
    }

    @Test
    void http10KeepAliveIsHonoured() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /nope HTTP/1.0\r\n\r\n");
            RawHttp.Response first = RawHttp.read(s.getInputStream());
            assertThat(first.headers()).containsEntry("connection", "keep-alive");
            assertThat(RawHttp.read(s.getInputStream()).statusLine()).isEqualTo("HTTP/1.0 404 Not Found");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void oversizeHeaderIsRefusedWhileAConcurrentClientGetsItsPage() throws IOException {
        try (Socket good = RawHttp.connect(target.address()); Socket bad = RawHttp.connect(target.address())) {
            RawHttp.send(good, "GET /index.html HTTP/1.1\r\nHost: a\r\n");
            RawHttp.send(bad, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "x".repeat(HttpTargetInitializer.MAX_HEADER_BYTES) + "\r\n\r\n");
            RawHttp.Response refused = RawHttp.read(bad.getInputStream());
            assertThat(refused.status()).isEqualTo(431);
            assertThat(bad.getInputStream().read()).isEqualTo(-1);

            RawHttp.send(good, "\r\n");
            assertThat(RawHttp.read(good.getInputStream()).text()).isEqualTo(HttpTarget.INDEX_PAGE);
        }
    }

    @Test
    void oversizeRequestLineIsRefused() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET /" + "a".repeat(HttpTargetInitializer.MAX_REQUEST_LINE) + " HTTP/1.1\r\n\r\n");
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(414);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void unparsableRequestIsABadRequest() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: twelve\r\n\r\n");
            assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(400);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void clientVanishingMidDownloadLeavesTheTargetServing() throws IOException {
        try (Socket s = RawHttp.connect(target.address())) {
            RawHttp.send(s, "GET /bytes/" + HttpTarget.MAX_BULK_BYTES + " HTTP/1.1\r\nHost: a\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(RawHttp.readHead(in).headers()).containsEntry("content-length", String.valueOf(HttpTarget.MAX_BULK_BYTES));
            assertThat(in.readNBytes(1 << 20)).hasSize(1 << 20);
        }
        assertThat(RawHttp.get10(target.address(), "/").text()).isEqualTo(HttpTarget.INDEX_PAGE);
    }

    @Test
    void idleConnectionIsClosed() throws IOException {
        try (HttpTarget impatient = HttpTarget.builder().idleTimeout(Duration.ofMillis(100)).start();
                Socket s = RawHttp.connect(impatient.address())) {
            RawHttp.send(s, "GET / HTTP/1.1\r\nHost: a\r\n");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void servesOnIpv6Loopback() throws IOException {
        try (HttpTarget v6 = HttpTarget.start(new InetSocketAddress("::1", 0))) {
            assertThat(v6.address().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
            assertThat(RawHttp.get10(v6.address(), "/").text()).isEqualTo(HttpTarget.INDEX_PAGE);
        }
    }

    @Test
    void closeReleasesThePort() throws IOException {
        InetSocketAddress address = target.address();
        assertThat(RawHttp.get10(address, "/").status()).isEqualTo(200);
        target.close();
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(address);
            assertThat(again.getLocalPort()).isEqualTo(address.getPort());
        }
    }

    @Test
    void takenPortOrNonLoopbackAddressIsRefused() {
        assertThatThrownBy(() -> HttpTarget.start(target.address()))
                .isInstanceOf(IOException.class).hasCauseInstanceOf(BindException.class);
        assertThatThrownBy(() -> HttpTarget.builder().address(new InetSocketAddress(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a loopback address");
        assertThatThrownBy(() -> HttpTarget.builder().idleTimeout(Duration.ZERO)).hasMessage("idleTimeout <= 0");
    }
}
