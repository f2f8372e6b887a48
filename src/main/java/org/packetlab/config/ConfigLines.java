package org.packetlab.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a configuration file into option lines the way the reference does (spec/config-files.md §1.1).
 *
 * <h2>Line buffer quirk</h2>
 * The reference reads lines with {@code fgets} into a 4096-byte buffer, so a physical line of more
 * than 4095 bytes (counting its {@code \n}) becomes several logical lines, each parsed and numbered
 * on its own. We reproduce this, so that a file means the same to both implementations and line
 * numbers in messages agree, and add a warning for every cut line. {@link ConfigText} never writes
 * such lines.
 *
 * <h2>CRLF files</h2>
 * The reference removes only {@code \n}; a {@code \r} stays part of the value and breaks almost
 * every option. We also remove one {@code \r} that ends a physical line, so CRLF files load;
 * files written for the reference must still use LF.
 *
 * <p>Empty lines and lines whose first character is {@code #} are skipped. There are no inline
 * comments, quoting, escapes or continuation lines. A NUL byte is an error (the reference would
 * silently see the line end there).
 */
final class ConfigLines {
    /** The reference's {@code fgets} buffer size; a logical line holds at most this minus one byte. */
    static final int BUFFER = 4096;
    /** Files are read whole; anything larger is certainly not a configuration file. */
    static final int MAX_FILE_BYTES = 16 << 20;

    /** One option line: its number as the reference counts lines, the key and the raw value. */
    record Line(int number, String key, String value) {}

    /** The option lines of a file, and the warnings reading produced. */
    record Result(List<Line> lines, List<ConfigWarning> warnings) {}

    private ConfigLines() {}

    static Result read(Path file) throws ConfigException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException(file, "cannot read the configuration file: " + e, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(file, "larger than " + MAX_FILE_BYTES + " bytes: not a configuration file", null);
        }
        return split(file, bytes);
    }

    // visible for testing
    static Result split(Path file, byte[] bytes) throws ConfigException {
        List<Line> lines = new ArrayList<>();
        List<ConfigWarning> warnings = new ArrayList<>();
        int number = 0;
        int pos = 0;
        while (pos < bytes.length) {
            number++;
            // fgets stores at most BUFFER - 1 bytes, the newline included
            int max = Math.min(bytes.length, pos + BUFFER - 1);
            int end = pos;
            while (end < max && bytes[end] != '\n') {
                end++;
            }
            boolean newline = end < max && bytes[end] == '\n';
            boolean cut = !newline && end < bytes.length;
            int next = newline ? end + 1 : end;
            int contentEnd = end;
            if (!cut && contentEnd > pos && bytes[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            String text = decode(file, number, bytes, pos, contentEnd, cut);
            pos = next;
            if (cut) {
                warnings.add(new ConfigWarning(file, number, keyOf(text), "", "line longer than " + (BUFFER - 1)
                        + " bytes: cut here, the rest is read as line " + (number + 1) + " (as the reference does)"));
            }
            if (text.isEmpty() || text.charAt(0) == '#') {
                continue;
            }
            lines.add(toLine(number, text));
        }
        return new Result(List.copyOf(lines), List.copyOf(warnings));
    }

    private static String decode(Path file, int number, byte[] bytes, int from, int to, boolean cut)
            throws ConfigException {
        for (int i = from; i < to; i++) {
            if (bytes[i] == 0) {
                throw new ConfigException(file, number, null, null, "line contains a NUL byte");
            }
        }
        // a cut may fall inside a multi-byte character: only whole lines must be valid UTF-8
        CodingErrorAction onError = cut ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(onError).onUnmappableCharacter(onError);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, number, null, null, "line is not valid UTF-8 text", e);
        }
    }

    private static String keyOf(String text) {
        return toLine(0, text).key();
    }

    /** Key = up to the first space or tab; value = after the run of blanks, trailing blanks kept. */
    private static Line toLine(int number, String text) {
        int k = 0;
        while (k < text.length() && !isBlank(text.charAt(k))) {
            k++;
        }
        int v = k;
        while (v < text.length() && isBlank(text.charAt(v))) {
            v++;
        }
        return new Line(number, text.substring(0, k), text.substring(v));
    }

    static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
