package org.packetlab.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A configuration read from a file, with where each option came from and what was tolerated.
 *
 * @param file     the file read
 * @param config   the typed configuration ({@link XpmgrConf} or {@link EndptConf})
 * @param warnings unknown options and values the reference would have ignored or changed, in line order
 * @param lines    option key -> lines of its effective values (file order for accumulating options such as
 *                 {@code ExpExec}: the i-th line belongs to the i-th entry); absent keys were not in the file
 */
public record LoadedConfig<T>(Path file, T config, List<ConfigWarning> warnings, Map<String, List<Integer>> lines) {

    public LoadedConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
        lines = Map.copyOf(lines);
    }

    /** The line of the effective value of an option, if the file set it. */
    public OptionalInt line(String option) {
        List<Integer> ns = lines.get(option);
        return ns == null || ns.isEmpty() ? OptionalInt.empty() : OptionalInt.of(ns.get(0));
    }

    /** The lines of every value of an option, in file order. */
    public List<Integer> lines(String option) {
        return lines.getOrDefault(option, List.of());
    }

    /** A {@link ConfigException} about the line of an option (e.g. an {@code ExpExec} entry whose chain fails to load). */
    public ConfigException error(String option, int line, String problem, Throwable cause) {
        return new ConfigException(file, line, option, null, problem, cause);
    }
}
