package org.packetlab.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A PacketLab name-value string: zero or more {@code NAME=VALUE;} pairs, as used by experiment
 * descriptors (xdescr), endpoint attributes (dattr) and the certificate extensions cert_info and
 * cert_limit (spec/wire-protocol.md §13.1, spec/certificates.md §3).
 *
 * <pre>
 *   "sni_key=abc;controller_addr=127.0.0.1:20556;"   every pair ends with ';', no escaping
 * </pre>
 *
 * <p>Instances are immutable and always well-formed for their {@link Syntax}.
 */
public final class NameValues {

    /** One {@code name=value} pair. */
    public record Pair(String name, String value) {
        public Pair {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return name + "=" + value + ";";
        }
    }

    /** The character sets and duplicate rule of each use of name-value strings. */
    public enum Syntax {
        /** Experiment descriptor: values may hold the glob wildcards {@code *} and {@code ?}; duplicates allowed. */
        XDESCR(false, true, true),
        /** Endpoint attributes: no wildcards, no duplicate names. */
        DATTR(false, false, false),
        /** Certificate information extension (1.2.3.1): no duplicate names. */
        CERT_INFO(false, false, false),
        /** Certificate limitation extension (1.2.3.3): a name may start with {@code *} (optional limit). */
        CERT_LIMIT(true, false, false);

        private final boolean optionalMarker;
        private final boolean wildcards;
        private final boolean duplicates;

        Syntax(boolean optionalMarker, boolean wildcards, boolean duplicates) {
            this.optionalMarker = optionalMarker;
            this.wildcards = wildcards;
            this.duplicates = duplicates;
        }

        /** Whether {@code c} may appear in a name (after an optional leading {@code *} for cert_limit). */
        public boolean isNameChar(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }

        /** Whether {@code c} may appear in a value. */
        public boolean isValueChar(char c) {
            if (isNameChar(c)) {
                return true;
            }
            return switch (c) {
                case '.', ':', '[', ']', ',', '/', '(', ')', ' ', '\t' -> true;
                case '*', '?' -> wildcards;
                default -> false;
            };
        }

        /** Whether {@code name} is a valid name in this syntax. */
        public boolean isValidName(String name) {
            int start = optionalMarker && name.startsWith("*") ? 1 : 0;
            // cert_limit: the reference decoder accepts a bare "*" (certificates.md §3)
            if (start == 0 && name.isEmpty()) {
                return false;
            }
            for (int i = start; i < name.length(); i++) {
                if (!isNameChar(name.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Whether {@code value} is a valid value in this syntax. */
        public boolean isValidValue(String value) {
            for (int i = 0; i < value.length(); i++) {
                if (!isValueChar(value.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final NameValues EMPTY_XDESCR = new NameValues(List.of(), Syntax.XDESCR);

    private final List<Pair> pairs;
    private final Syntax syntax;

    private NameValues(List<Pair> pairs, Syntax syntax) {
        this.pairs = pairs;
        this.syntax = syntax;
    }

    /** The empty string (no pairs) in the given syntax. */
    public static NameValues empty(Syntax syntax) {
        return syntax == Syntax.XDESCR ? EMPTY_XDESCR : new NameValues(List.of(), syntax);
    }

    /**
     * Parses an encoded name-value string.
     *
     * @throws IllegalArgumentException naming the position and the rule broken, when the string is malformed
     */
    public static NameValues parse(CharSequence text, Syntax syntax) {
        Objects.requireNonNull(syntax, "syntax");
        List<Pair> out = new ArrayList<>();
        String error = scan(text, syntax, out);
        if (error != null) {
            throw new IllegalArgumentException("malformed " + syntax.name().toLowerCase() + " \"" + text + "\": " + error);
        }
        return new NameValues(List.copyOf(out), syntax);
    }

    /** Parses, or returns empty when the string is malformed (for decoders that must not throw). */
    public static Optional<NameValues> tryParse(CharSequence text, Syntax syntax) {
        List<Pair> out = new ArrayList<>();
        return scan(text, syntax, out) == null ? Optional.of(new NameValues(List.copyOf(out), syntax)) : Optional.empty();
    }

    /** Whether {@code text} is a well-formed name-value string of {@code syntax}. */
    public static boolean isWellFormed(CharSequence text, Syntax syntax) {
        return scan(text, syntax, null) == null;
    }

    /** Builds a string from pairs, validating each one. */
    public static NameValues of(Syntax syntax, List<Pair> pairs) {
        StringBuilder sb = new StringBuilder();
        for (Pair p : pairs) {
            sb.append(p);
        }
        return parse(sb, syntax);
    }

    /** Returns null when well-formed, else a description of the first error; collects pairs into {@code out}. */
    private static String scan(CharSequence text, Syntax syntax, List<Pair> out) {
        Set<String> seen = syntax.duplicates ? null : new HashSet<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int eq = -1;
            int end = -1;
            for (int j = i; j < n; j++) {
                char c = text.charAt(j);
                if (c == ';') {
                    end = j;
                    break;
                }
                if (c == '=' && eq < 0) {
                    eq = j;
                }
            }
            if (end < 0) {
                return "pair at offset " + i + " is not terminated by ';'";
            }
            if (eq < 0) {
                return "pair at offset " + i + " has no '='";
            }
            String name = text.subSequence(i, eq).toString();
            String value = text.subSequence(eq + 1, end).toString();
            if (!syntax.isValidName(name)) {
                return "bad name \"" + name + "\" at offset " + i;
            }
            if (!syntax.isValidValue(value)) {
                return "bad value for \"" + name + "\" at offset " + (eq + 1);
            }
            if (seen != null && !seen.add(name)) {
                return "duplicate name \"" + name + "\"";
            }
            if (out != null) {
                out.add(new Pair(name, value));
            }
            i = end + 1;
        }
        return null;
    }

    public Syntax syntax() {
        return syntax;
    }

    /** The pairs in their order in the string. */
    public List<Pair> pairs() {
        return pairs;
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** The value of the first pair named {@code name}. */
    public Optional<String> get(String name) {
        for (Pair p : pairs) {
            if (p.name().equals(name)) {
                return Optional.of(p.value());
            }
        }
        return Optional.empty();
    }

    /** The value of the last pair named {@code name} (the endpoint's reading of an xdescr: later duplicates win). */
    public Optional<String> getLast(String name) {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            if (pairs.get(i).name().equals(name)) {
                return Optional.of(pairs.get(i).value());
            }
        }
        return Optional.empty();
    }

    /** The values of every pair named {@code name}, in order. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>();
        for (Pair p : pairs) {
            if (p.name().equals(name)) {
                values.add(p.value());
            }
        }
        return List.copyOf(values);
    }

    /** A copy with one more pair at the end (validated; duplicates refused where the syntax forbids them). */
    public NameValues with(String name, String value) {
        List<Pair> more = new ArrayList<>(pairs);
        more.add(new Pair(name, value));
        return of(syntax, more);
    }

    /** A copy without the pairs named {@code name}. */
    public NameValues without(String name) {
        return new NameValues(pairs.stream().filter(p -> !p.name().equals(name)).toList(), syntax);
    }

    /**
     * The broker's matching predicate between a publication's xdescr and a subscriber's dattr
     * (spec/agents.md §B.7): empty on either side matches; otherwise every dattr pair whose name
     * appears in the xdescr must be glob-matched by at least one xdescr value of that name.
     */
    public static boolean matches(NameValues xdescr, NameValues dattr) {
        if (xdescr.isEmpty() || dattr.isEmpty()) {
            return true;
        }
        for (Pair attr : dattr.pairs) {
            List<String> patterns = xdescr.getAll(attr.name());
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> globMatches(p, attr.value()))) {
                return false;
            }
        }
        return true;
    }

    /** Whole-string glob match: {@code *} any run of characters (also empty), {@code ?} exactly one. */
    public static boolean globMatches(String pattern, String value) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** The encoded form: every pair as {@code name=value;}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Pair p : pairs) {
            sb.append(p);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameValues other && other.syntax == syntax && other.pairs.equals(pairs);
    }

    @Override
    public int hashCode() {
        return pairs.hashCode() * 31 + syntax.hashCode();
    }
}
