package org.packetlab.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Something in a configuration file that was tolerated but is probably not what its author
 * meant: an unknown option, a line cut by the reference's line buffer, a value the reference
 * silently ignores or changes (spec/config-files.md §1).
 *
 * @param line 1-based line number
 * @param key  the option (key) of the line, possibly empty
 */
public record ConfigWarning(Path file, int line, String key, String value, String problem) {

    public ConfigWarning {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(problem, "problem");
    }

    /** {@code FILE:LINE: KEY "VALUE": PROBLEM}, the form of {@link ConfigException} messages. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + key + " \"" + value + "\": " + problem;
    }
}
