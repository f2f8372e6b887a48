package org.packetlab.extmlet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What an mlet process wrote on its standard output or error, kept up to a limit.
 *
 * @param bytes      the first bytes written, at most the capture limit
 * @param totalBytes how many bytes the process wrote in all; more than {@code bytes.length} when truncated
 */
public record CapturedOutput(byte[] bytes, long totalBytes) {

    /** Nothing written, or nothing captured (output went to the manager's own streams). */
    public static final CapturedOutput NONE = new CapturedOutput(new byte[0], 0);

    public CapturedOutput {
        bytes = bytes.clone();
        if (totalBytes < bytes.length) {
            throw new IllegalArgumentException("total " + totalBytes + " < " + bytes.length + " captured bytes");
        }
    }

    /** A copy of the captured bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether bytes were dropped past the capture limit. */
    public boolean isTruncated() {
        return totalBytes > bytes.length;
    }

    /** The captured bytes as UTF-8 text (malformed sequences replaced), with a closing note when truncated. */
    public String text() {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return isTruncated() ? s + "\n[" + (totalBytes - bytes.length) + " more bytes not kept]" : s;
    }

    /** The last line that is not blank, trimmed; empty when there is none. */
    public String lastLine() {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedOutput c && c.totalBytes == totalBytes && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Long.hashCode(totalBytes);
    }

    @Override
    public String toString() {
        return totalBytes + " bytes" + (isTruncated() ? " (" + bytes.length + " kept)" : "");
    }
}
