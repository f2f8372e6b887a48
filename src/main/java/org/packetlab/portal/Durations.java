package org.packetlab.portal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in a policy: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, or ISO-8601 ({@code P30D}, {@code PT12H}). */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*([smhd])");

    private Durations() {}

    /** Parses a positive duration; the message of the exception says what is accepted. */
    static Duration parse(String text) {
        Duration d;
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a duration: write e.g. 30d, 12h, 90m, 45s or P30D", e);
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("duration \"" + text + "\" must be positive");
        }
        return d;
    }

    /** A short human form: {@code 30 days}, {@code 12 hours}, {@code 90 minutes}, {@code 45 seconds}. */
    static String describe(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return plural(s / 86_400, "day");
        }
        if (s % 3_600 == 0) {
            return plural(s / 3_600, "hour");
        }
        if (s % 60 == 0) {
            return plural(s / 60, "minute");
        }
        return plural(s, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
