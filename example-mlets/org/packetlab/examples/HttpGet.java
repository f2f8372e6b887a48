package org.packetlab.examples;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.ReceivedStream;
import org.packetlab.mlet.SendOptions;
import org.packetlab.mlet.Sent;
import org.packetlab.mlet.SocketOptions;
import org.packetlab.mlet.TcpSocket;
import org.packetlab.results.Summarizable;
import org.packetlab.results.WebResponse;

/**
 * An HTTP GET made by the endpoint: the Java counterpart of the reference's {@code test_http_get}.
 * The endpoint connects to HOST (resolved here, on the experiment's side), sends
 * {@code GET PATH HTTP/1.0} with a {@code Host} header, and reads until the server closes; the
 * result holds the response and the endpoint's send time and last-byte time.
 *
 * <pre>{@code
 * pktlab xpmgr HttpGet 127.0.0.1 /index.html        # HOST[:PORT] [PATH], defaults www.example.com /
 * lab.run(ep -> HttpGet.fetch(ep, "127.0.0.1", lab.httpTarget().getPort(), "/index.html"));
 * }</pre>
 *
 * Its requests are those of the reference mlet, byte for byte (socket 1, a 4 KiB receive buffer,
 * tag 1234).
 */
public final class HttpGet implements Mlet<HttpGet.Result> {

    private final String host;
    private final int port;
    private final String path;

    /** A GET of {@code path} from {@code host}:{@code port}. */
    public HttpGet(String host, int port, String path) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path " + path + " does not start with /");
        }
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** From command-line words {@code [HOST[:PORT] [PATH]]}, defaulting like the reference to {@code www.example.com /}. */
    public static Mlet<Result> fromArgs(String... args) {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: HttpGet [HOST[:PORT] [PATH]]");
        }
        String target = args.length > 0 ? args[0] : "www.example.com";
        String path = args.length > 1 ? args[1] : "/";
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            String rest = target.substring(close + 1);
            if (close < 0 || !rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("bad HOST[:PORT] " + target);
            }
            return new HttpGet(target.substring(1, close), rest.isEmpty() ? 80 : Integer.parseInt(rest.substring(1)), path);
        }
        int colon = target.indexOf(':');
        if (colon < 0 || colon != target.lastIndexOf(':')) {
            return new HttpGet(target, 80, path);
        }
        return new HttpGet(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)), path);
    }

    @Override
    public Result run(EndpointSession ep) throws IOException {
        return fetch(ep, host, port, path);
    }

    /** GET {@code path} from {@code host} port 80 through the endpoint. */
    public static Result fetch(EndpointSession ep, String host, String path) throws IOException {
        return fetch(ep, host, 80, path);
    }

    /** GET {@code path} from {@code host}:{@code port} through the endpoint. */
    public static Result fetch(EndpointSession ep, String host, int port, String path) throws IOException {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(host), port);
        String hostHeader = port == 80 ? host : host + ":" + port;
        byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: " + hostHeader + "\r\n\r\n").getBytes(US_ASCII);
        long start = System.nanoTime();
        // the reference's buffer and tag, so the session is byte-identical to its recordings
        try (TcpSocket s = ep.tcp(server, SocketOptions.defaults().rbufsz(0x1000))) {
            Sent sent = s.send(request, SendOptions.defaults().tag(1234));
            ReceivedStream reply = s.readUntilClose();
            Instant sentAt = sent.sentAt();
            Duration local = Duration.ofNanos(System.nanoTime() - start);
            return Result.parse(server, path, reply.bytes(), sentAt, reply.lastTime(), local);
        }
    }

    /**
     * What one GET returned.
     *
     * @param server     the address the endpoint connected to
     * @param path       the path asked for
     * @param statusLine the response's first line ({@code HTTP/1.0 200 OK})
     * @param headers    the header lines, in order
     * @param body       the bytes after the blank line (copied)
     * @param sentAt     the endpoint time the request left
     * @param lastByteAt the endpoint time the last byte arrived
     * @param local      how long the whole exchange took as seen here (connect to close)
     */
    public record Result(InetSocketAddress server, String path, String statusLine, List<String> headers, byte[] body,
            Instant sentAt, Instant lastByteAt, Duration local) implements Summarizable, WebResponse {

        public Result {
            headers = List.copyOf(headers);
            body = body.clone();
        }

        static Result parse(InetSocketAddress server, String path, byte[] response, Instant sentAt, Instant lastByteAt,
                Duration local) {
            String text = new String(response, ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            byte[] body = end < 0 ? new byte[0] : Arrays.copyOfRange(response, end + 4, response.length);
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n", -1)));
            String statusLine = lines.removeFirst();
            return new Result(server, path, statusLine, lines, body, sentAt, lastByteAt, local);
        }

        /** The status code of the status line, or -1 when it has none. */
        public int statusCode() {
            String[] parts = statusLine.split(" ", 3);
            try {
                return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /** A copy of the body. */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /** The whole response as text: status line, headers, blank line, body (ISO-8859-1). */
        @Override
        public String response() {
            StringBuilder b = new StringBuilder(statusLine).append("\r\n");
            headers.forEach(h -> b.append(h).append("\r\n"));
            return b.append("\r\n").append(new String(body, ISO_8859_1)).toString();
        }

        /** From the request leaving the endpoint to the last byte arriving there. */
        public Duration endpointElapsed() {
            return Duration.between(sentAt, lastByteAt);
        }

        @Override
        public String summary() {
            return statusLine + ", " + body.length + " body bytes from " + server.getAddress().getHostAddress() + ":"
                    + server.getPort() + path + " in " + endpointElapsed().toNanos() / 1000 + " us at the endpoint";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && r.server.equals(server) && r.path.equals(path) && r.statusLine.equals(statusLine)
                    && r.headers.equals(headers) && Arrays.equals(r.body, body) && r.sentAt.equals(sentAt)
                    && r.lastByteAt.equals(lastByteAt) && r.local.equals(local);
        }

        @Override
        public int hashCode() {
            return Objects.hash(server, path, statusLine, headers, Arrays.hashCode(body), sentAt, lastByteAt, local);
        }

        @Override
        public String toString() {
            return "HttpGet.Result[" + summary() + "]";
        }
    }
}
