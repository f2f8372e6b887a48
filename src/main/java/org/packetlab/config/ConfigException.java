package org.packetlab.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A configuration file that cannot be used: unreadable, a value that fails its option's
 * validation, or options missing that must be present (spec/config-files.md §1.1, §2.5, §3).
 *
 * <p>The message names the file, the line (when one line is at fault), the option and its value,
 * then the problem, in the form {@code FILE:LINE: OPTION "VALUE": PROBLEM}.
 */
public final class ConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String option;
    private final String value;
    private final String problem;

    /**
     * An error about one line.
     *
     * @param line   1-based line number as the reference counts lines (§1.1)
     * @param value  the offending value, or null when it would not help
     */
    public ConfigException(Path file, int line, String option, String value, String problem) {
        this(file, line, option, value, problem, null);
    }

    /** An error about one line, keeping its cause. */
    public ConfigException(Path file, int line, String option, String value, String problem, Throwable cause) {
        super(format(file, line, option, value, problem), cause);
        if (line < 1) {
            throw new IllegalArgumentException("line < 1");
        }
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.option = option;
        this.value = value;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** An error about the whole file (unreadable, presence requirements not met). */
    public ConfigException(Path file, String problem, Throwable cause) {
        super(format(file, 0, null, null, problem), cause);
        this.file = Objects.requireNonNull(file, "file");
        this.line = 0;
        this.option = null;
        this.value = null;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The configuration file. */
    public Path file() {
        return file;
    }

    /** The 1-based line at fault, or empty when the problem is about the whole file. */
    public OptionalInt line() {
        return line == 0 ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /** The option (key) at fault, if one is. */
    public Optional<String> option() {
        return Optional.ofNullable(option);
    }

    /** The value at fault, if one is named. */
    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** What is wrong, without file and line. */
    public String problem() {
        return problem;
    }

    /** The message without the file: {@code line LINE: OPTION "VALUE": PROBLEM}, for tables that already name the file. */
    public String describeInFile() {
        String m = format(file, line, option, value, problem).substring(file.toString().length());
        return line > 0 ? "line " + m.substring(1) : m.substring(2);
    }

    private static String format(Path file, int line, String option, String value, String problem) {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (option != null) {
            sb.append(option);
            if (value != null) {
                sb.append(" \"").append(value).append('"');
            }
            sb.append(": ");
        }
        return sb.append(problem).toString();
    }
}
