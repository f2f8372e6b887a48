package org.packetlab.lab;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the HTTP target answers to a request: pure routing, no I/O. */
final class HttpTargetRoutes {

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";
    private static final byte[] INDEX = HttpTarget.INDEX_PAGE.getBytes(StandardCharsets.UTF_8);
    private static final String BYTES_PREFIX = "/bytes/";
    /** Enough digits for {@link HttpTarget#MAX_BULK_BYTES} and one more, so no parse can overflow. */
    private static final int MAX_LENGTH_DIGITS = 11;

    private HttpTargetRoutes() {}

    /** A reply: a page held in memory, or a bulk body streamed as the peer reads it. */
    sealed interface Reply permits Page, Bulk {}

    record Page(HttpResponseStatus status, String contentType, byte[] body) implements Reply {}

    record Bulk(long length) implements Reply {}

    static Reply route(HttpRequest request) {
        if (!request.method().equals(HttpMethod.GET)) {
            return text(HttpResponseStatus.NOT_IMPLEMENTED, "only GET is implemented\n");
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals("/") || path.equals("/index.html")) {
            return new Page(HttpResponseStatus.OK, HTML, INDEX);
        }
        if (path.equals("/echo")) {
            return text(HttpResponseStatus.OK, echo(request));
        }
        if (path.startsWith(BYTES_PREFIX)) {
            return bulk(path.substring(BYTES_PREFIX.length()));
        }
        return text(HttpResponseStatus.NOT_FOUND, "not found\n");
    }

    /** The answer to a request the decoder could not take: its failure says which. */
    static Page refusal(HttpResponseStatus status, String reason) {
        return text(status, status + ": " + reason + "\n");
    }

    private static Reply bulk(String digits) {
        if (digits.isEmpty() || digits.length() > MAX_LENGTH_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return text(HttpResponseStatus.BAD_REQUEST, "expected /bytes/N with N a decimal number of bytes\n");
        }
        long n = Long.parseLong(digits);
        if (n > HttpTarget.MAX_BULK_BYTES) {
            return text(HttpResponseStatus.BAD_REQUEST, "N above the limit of " + HttpTarget.MAX_BULK_BYTES + " bytes\n");
        }
        return new Bulk(n);
    }

    private static String echo(HttpRequest request) {
        StringBuilder s = new StringBuilder()
                .append(request.method()).append(' ').append(request.uri()).append(' ').append(request.protocolVersion()).append('\n');
        for (Map.Entry<String, String> h : request.headers()) {
            s.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
        }
        return s.toString();
    }

    private static Page text(HttpResponseStatus status, String body) {
        return new Page(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
