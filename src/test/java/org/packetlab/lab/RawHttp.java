package org.packetlab.lab;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A plain-socket HTTP client for the tests: writes exactly the bytes given, reads responses byte by byte. */
final class RawHttp {

    /** Guards every blocking read; the tests' own timeouts are shorter. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private RawHttp() {}

    record Response(String statusLine, Map<String, String> headers, byte[] body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Socket connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket(address.getAddress(), address.getPort());
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    static void send(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads one response: head, then exactly Content-Length bytes of body. */
    static Response read(InputStream in) throws IOException {
        Response head = readHead(in);
        int length = Integer.parseInt(head.headers().get("content-length"));
        return new Response(head.statusLine(), head.headers(), in.readNBytes(length));
    }

    /** Reads the status line and headers of a response, leaving its body unread (names in lower case). */
    static Response readHead(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        return new Response(statusLine, headers, new byte[0]);
    }

    /** One GET with HTTP/1.0 on a fresh connection; checks the server then closes it. */
    static Response get10(InetSocketAddress target, String path) throws IOException {
        try (Socket s = connect(target)) {
            send(s, "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            Response r = read(s.getInputStream());
            if (s.getInputStream().read() != -1) {
                throw new IOException("expected EOF after an HTTP/1.0 response");
            }
            return r;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new EOFException("EOF inside a response head after \"" + b + "\"");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
