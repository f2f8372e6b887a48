package org.packetlab.portal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Ed25519PrivateKey;

/** Keys, requests and an HTTP client for tests that run a real portal on 127.0.0.1. */
final class PortalFixture {
    /** When the test portals issue, so validity is exact in assertions. */
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    static final Ed25519PrivateKey OPERATOR = key(1);
    static final Ed25519PrivateKey EXPERIMENTER = key(2);

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The rate limiter's clock: moves only when a test says so. */
    final AtomicLong nanos = new AtomicLong();

    private PortalFixture() {}

    static PortalFixture create() {
        return new PortalFixture();
    }

    static Ed25519PrivateKey key(int seed) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) seed);
        return Ed25519PrivateKey.fromSeed(s);
    }

    /** A request for experiment privilege, without suggestions. */
    static Csr plainCsr() {
        return Csr.exppriv().signWith(EXPERIMENTER);
    }

    Portal.Builder portal(PortalPolicy policy, Path log) {
        return Portal.builder().operatorKey(OPERATOR).policy(policy).issuanceLog(log)
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .random(new SplittableRandom(7))
                .nanoTime(nanos::get);
    }

    HttpResponse<String> get(Portal p, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(p.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(Portal p, String method, String path, String contentType, byte[] body, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(p.url().resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the upload form with a CSR file (and a code when not null), as a browser does. */
    HttpResponse<String> upload(Portal p, byte[] csr, String code) throws IOException, InterruptedException {
        Multipart m = new Multipart().file(SignFormDecoder.CSR_FILE, "exppriv_exper.csr", "application/octet-stream", csr)
                .field(SignFormDecoder.CSR_TEXT, "");
        if (code != null) {
            m.field(SignFormDecoder.CODE, code);
        }
        return send(p, "POST", "sign", m.contentType(), m.body(), null);
    }

    HttpResponse<String> upload(Portal p, Csr csr) throws IOException, InterruptedException {
        return upload(p, csr.pem().getBytes(StandardCharsets.US_ASCII), null);
    }

    /** The serial shown on a result page (from its download link). */
    static String serialOn(String page) {
        var m = java.util.regex.Pattern.compile("href=\"certs/([0-9a-f]+)\\.cert\"").matcher(page);
        if (!m.find()) {
            throw new AssertionError("no certificate link on the page:\n" + page);
        }
        return m.group(1);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PortalFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    static URI url(Portal p, String path) {
        return p.url().resolve(path);
    }
}
