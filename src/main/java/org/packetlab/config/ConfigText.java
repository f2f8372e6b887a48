package org.packetlab.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The text of a configuration file, as the reference reads it: LF line ends, one option per line,
 * a comment before each option explaining it, and every option of the file's schema present, either
 * set or commented out with its default, a suggested value or its syntax.
 *
 * <pre>
 *   ConfigText.of(conf).suggest("BrokerAddr", "pktbrokr.caida.org").writeTo(home.resolve("xpmgr.conf"));
 * </pre>
 *
 * Options whose value is the default are written commented out (the default applies either way).
 * Every line fits the reference's 4096-byte line buffer. Immutable: {@link #suggest} and
 * {@link #comment} return a new text.
 */
public final class ConfigText {
    private final String header;
    private final List<Option<?>> schema;
    private final Map<String, List<String>> settings;
    private final Map<String, String> suggestions;
    private final List<String> comments;

    private ConfigText(String header, List<Option<?>> schema, Map<String, List<String>> settings,
                       Map<String, String> suggestions, List<String> comments) {
        this.header = header;
        this.schema = schema;
        this.settings = settings;
        this.suggestions = suggestions;
        this.comments = comments;
    }

    /** The text of {@code xpmgr.conf} for {@code conf}. */
    public static ConfigText of(XpmgrConf conf) {
        return new ConfigText(XpmgrSchema.HEADER, XpmgrSchema.OPTIONS, conf.settings(), Map.of(), List.of());
    }

    /** The text of {@code endpt.conf} for {@code conf}. */
    public static ConfigText of(EndptConf conf) {
        return new ConfigText(EndptSchema.HEADER, EndptSchema.OPTIONS, conf.settings(), Map.of(), List.of());
    }

    /**
     * A copy that shows {@code value} on the commented-out line of {@code option} when the
     * configuration does not set it, e.g. the broker to use once publication is enabled.
     *
     * @throws IllegalArgumentException if the file has no such option or the value cannot be written
     */
    public ConfigText suggest(String option, String value) {
        if (schema.stream().noneMatch(o -> o.key().equals(option))) {
            throw new IllegalArgumentException("no option " + option + " in this file");
        }
        Map<String, String> s = new LinkedHashMap<>(suggestions);
        s.put(option, Values.writable(option, value));
        return new ConfigText(header, schema, settings, Map.copyOf(s), comments);
    }

    /** A copy with more comment text after the header (one comment line per line of {@code text}). */
    public ConfigText comment(String text) {
        Objects.requireNonNull(text, "text");
        List<String> c = new ArrayList<>(comments);
        c.addAll(text.lines().toList());
        return new ConfigText(header, schema, settings, suggestions, List.copyOf(c));
    }

    /** Writes the text to {@code file} (UTF-8), replacing it. */
    public void writeTo(Path file) throws IOException {
        Files.writeString(file, toString(), StandardCharsets.UTF_8);
    }

    /** The whole file. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        commentLines(out, header);
        if (!comments.isEmpty()) {
            line(out, "#");
            comments.forEach(c -> commentLines(out, c));
        }
        String section = null;
        for (Option<?> o : schema) {
            if (!o.section().equals(section)) {
                section = o.section();
                List<String> s = section.lines().toList();
                line(out, "");
                line(out, "# ==== " + s.get(0) + " ====");
                s.subList(1, s.size()).forEach(l -> commentLines(out, l));
            }
            line(out, "");
            commentLines(out, o.help());
            List<String> values = settings.get(o.key());
            if (values != null) {
                values.forEach(v -> line(out, o.key() + " " + v));
            } else {
                line(out, "#" + o.key() + " " + suggestions.getOrDefault(o.key(), o.placeholder()));
            }
        }
        return out.toString();
    }

    private static void commentLines(StringBuilder out, String text) {
        text.lines().forEach(l -> line(out, l.isEmpty() ? "#" : "# " + l));
    }

    private static void line(StringBuilder out, String line) {
        // the reference reads a line through a 4096-byte buffer, LF included (ConfigLines)
        if (line.getBytes(StandardCharsets.UTF_8).length > ConfigLines.BUFFER - 2) {
            throw new IllegalArgumentException("line longer than " + (ConfigLines.BUFFER - 2)
                    + " bytes cannot be read by the reference: " + line.substring(0, 60) + "...");
        }
        out.append(line).append('\n');
    }
}
