package org.packetlab.notebook.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A magic's words split into options ({@code --name VALUE}, {@code -n VALUE}), flags
 * ({@code --force}) and positional words; anything unknown is a {@link MagicUsageException}.
 */
final class MagicArgs {
    private final String magic;
    private final Map<String, String> options;
    private final Set<String> flagsSeen;
    private final List<String> positional;

    private MagicArgs(String magic, Map<String, String> options, Set<String> flagsSeen, List<String> positional) {
        this.magic = magic;
        this.options = options;
        this.flagsSeen = flagsSeen;
        this.positional = positional;
    }

    /**
     * Parses {@code words}: {@code valued} are the options taking a value, {@code flags} those that
     * do not. After the first positional word, when {@code restIsPositional}, every word is positional
     * (an mlet's own arguments), except options of {@code valued} given before them.
     */
    static MagicArgs parse(String magic, List<String> words, Set<String> valued, Set<String> flags, boolean restIsPositional) {
        Map<String, String> options = new HashMap<>();
        Set<String> seen = new java.util.HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            boolean optionLike = w.startsWith("-") && w.length() > 1 && !(restIsPositional && !positional.isEmpty());
            if (!optionLike) {
                positional.add(w);
            } else if (valued.contains(w)) {
                if (i + 1 >= words.size()) {
                    throw new MagicUsageException(magic + ": " + w + " needs a value");
                }
                if (options.put(w, words.get(++i)) != null) {
                    throw new MagicUsageException(magic + ": " + w + " given twice");
                }
            } else if (flags.contains(w)) {
                seen.add(w);
            } else {
                throw new MagicUsageException(magic + ": unknown option " + w);
            }
        }
        return new MagicArgs(magic, options, seen, positional);
    }

    /** The magic's name, as its usage errors begin. */
    String magic() {
        return magic;
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String required(String name) {
        return option(name).orElseThrow(() -> new MagicUsageException(magic + ": " + name + " is required"));
    }

    Optional<Path> path(String name) {
        return option(name).map(Path::of);
    }

    boolean flag(String name) {
        return flagsSeen.contains(name);
    }

    /** The option's value as an int in {@code [min, max]}, or {@code otherwise} when absent. */
    int intOption(String name, int otherwise, int min, int max) {
        Optional<String> v = option(name);
        if (v.isEmpty()) {
            return otherwise;
        }
        int n;
        try {
            n = Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new MagicUsageException(magic + ": " + name + " wants a number, got '" + v.get() + "'");
        }
        if (n < min || n > max) {
            throw new MagicUsageException(magic + ": " + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    List<String> positional() {
        return positional;
    }

    /** Fails unless there are between {@code min} and {@code max} positional words. */
    MagicArgs positionalCount(int min, int max, String what) {
        if (positional.size() < min) {
            throw new MagicUsageException(magic + ": missing " + what);
        }
        if (positional.size() > max) {
            throw new MagicUsageException(magic + ": unexpected '" + positional.get(max) + "'");
        }
        return this;
    }
}
