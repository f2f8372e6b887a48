package org.packetlab.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Command-line forms of times and durations. */
final class TimeArgs {
    private TimeArgs() {}

    /** {@code 2025-06-01T12:00:00Z}, {@code 2025-06-01} (midnight UTC), or Unix seconds ({@code 1700000000}, as ppksman takes them). */
    static Instant instant(String s) {
        try {
            if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                return Instant.ofEpochSecond(Long.parseLong(s));
            }
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(s);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a time (use 2025-06-01T12:00:00Z, 2025-06-01 or Unix seconds)", e);
        }
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 500ms}, {@code 10us}, {@code 7ns}, a number (nanoseconds), or ISO {@code P30D}. */
    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            int i = 0;
            while (i < t.length() && Character.isDigit(t.charAt(i))) {
                i++;
            }
            if (i == 0) {
                throw new NumberFormatException(s);
            }
            long n = Long.parseLong(t.substring(0, i));
            return switch (t.substring(i)) {
                case "", "ns" -> Duration.ofNanos(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new NumberFormatException(s);
            };
        } catch (DateTimeParseException | NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("\"" + s + "\" is not a duration (use 30d, 12h, 90m, 45s, 500ms or P30D)", e);
        }
    }
}
