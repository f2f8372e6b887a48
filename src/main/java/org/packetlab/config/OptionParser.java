package org.packetlab.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the option lines of a file to a schema of {@link Option}s with the reference's repeat rules
 * (spec/config-files.md §1.2): lines are applied from the last to the first, so the first error
 * reported is the lowest one in the file, as in the reference.
 */
final class OptionParser {

    /** The typed values of a parsed file, their line numbers and the warnings collected. */
    static final class Parsed {
        private final Map<Option<?>, List<Object>> values = new HashMap<>();
        private final Map<String, List<Integer>> lines = new LinkedHashMap<>();
        private final List<ConfigWarning> warnings;

        private Parsed(List<ConfigWarning> warnings) {
            this.warnings = warnings;
        }

        /** The effective value of a latched or overwriting option. */
        @SuppressWarnings("unchecked")
        <T> Optional<T> value(Option<T> option) {
            List<Object> v = values.get(option);
            return v == null ? Optional.empty() : Optional.of((T) v.get(0));
        }

        /** Every value of an accumulating option, in file order. */
        @SuppressWarnings("unchecked")
        <T> List<T> values(Option<T> option) {
            return (List<T>) (List<?>) values.getOrDefault(option, List.of());
        }

        /** Option key -> line numbers of the effective values (file order for accumulating options). */
        Map<String, List<Integer>> lines() {
            return lines;
        }

        List<ConfigWarning> warnings() {
            return warnings;
        }
    }

    private OptionParser() {}

    static Parsed parse(Path file, Path workingDirectory, List<Option<?>> schema) throws ConfigException {
        ConfigLines.Result read = ConfigLines.read(file);
        return apply(file, workingDirectory, schema, read);
    }

    // visible for testing
    static Parsed apply(Path file, Path workingDirectory, List<Option<?>> schema, ConfigLines.Result read)
            throws ConfigException {
        Map<String, Option<?>> byKey = new HashMap<>();
        for (Option<?> o : schema) {
            byKey.put(o.key(), o);
        }
        List<ConfigWarning> warnings = new ArrayList<>(read.warnings());
        Parsed parsed = new Parsed(warnings);
        Map<Option<?>, List<Integer>> lineNumbers = new HashMap<>();
        List<ConfigLines.Line> lines = read.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            ConfigLines.Line line = lines.get(i);
            Option<?> option = byKey.get(line.key());
            if (option == null) {
                warnings.add(new ConfigWarning(file, line.number(), line.key(), line.value(), "unknown option, line ignored"));
                continue;
            }
            if (line.value().isEmpty() && option.emptyIsAbsent()) {
                continue;
            }
            if (option.repeat() == Option.Repeat.LATCHED && parsed.values.containsKey(option)) {
                continue;
            }
            Object value = read(file, workingDirectory, warnings, line, option);
            List<Object> vs = parsed.values.computeIfAbsent(option, o -> new ArrayList<>());
            List<Integer> ns = lineNumbers.computeIfAbsent(option, o -> new ArrayList<>());
            switch (option.repeat()) {
                case LATCHED, OVERWRITING -> {
                    vs.clear();
                    vs.add(value);
                    ns.clear();
                    ns.add(line.number());
                }
                case ACCUMULATING -> {
                    vs.add(0, value);
                    ns.add(0, line.number());
                }
            }
        }
        warnings.sort(Comparator.comparingInt(ConfigWarning::line));
        for (Option<?> o : schema) {
            List<Integer> ns = lineNumbers.get(o);
            if (ns != null) {
                parsed.lines.put(o.key(), List.copyOf(ns));
            }
        }
        return parsed;
    }

    private static Object read(Path file, Path workingDirectory, List<ConfigWarning> warnings,
                               ConfigLines.Line line, Option<?> option) throws ConfigException {
        Option.Context context = new Option.Context() {
            @Override
            public Path workingDirectory() {
                return workingDirectory;
            }

            @Override
            public void warn(String problem) {
                warnings.add(new ConfigWarning(file, line.number(), line.key(), line.value(), problem));
            }
        };
        for (int i = 0; i < line.value().length(); i++) {
            char c = line.value().charAt(i);
            if (c != '\t' && Character.isISOControl(c)) {
                throw new ConfigException(file, line.number(), line.key(), line.value(),
                        "value contains a control character (code " + (int) c + ")");
            }
        }
        try {
            return option.reader().read(line.value(), context);
        } catch (InvalidValueException e) {
            throw new ConfigException(file, line.number(), line.key(), line.value(), e.getMessage(), e.getCause());
        }
    }
}
