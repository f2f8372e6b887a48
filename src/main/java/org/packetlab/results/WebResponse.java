package org.packetlab.results;

/**
 * A value that is a web server's response (what an HTTP GET mlet fetched): shown as escaped text,
 * its body rendered as HTML only on request, since the page is the server's, not the user's.
 */
public interface WebResponse {

    /** The whole response as text: status line, header lines, blank line, body. */
    String response();

    /** The body as text: what follows the first blank line of {@link #response()} (empty when there is none). */
    default String bodyText() {
        String r = response();
        int end = r.indexOf("\r\n\r\n");
        return end < 0 ? "" : r.substring(end + 4);
    }
}
