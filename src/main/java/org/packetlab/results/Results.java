package org.packetlab.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The results of one run: one {@link EndpointResult} per endpoint, in the order the endpoints were
 * done with. An immutable list, with views for the values and the failures and renderings as a
 * one-line summary, a {@link Table} and CSV.
 *
 * @param <T> the type of the mlet's value
 */
public final class Results<T> extends AbstractList<EndpointResult<T>> implements RandomAccess {

    /** Cells of the result column are cut to this many characters in {@link #table()} (CSV keeps everything). */
    static final int MAX_SUMMARY = 120;

    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final List<EndpointResult<T>> results;

    private Results(List<EndpointResult<T>> results) {
        this.results = results;
    }

    /** The results given, in that order (the list is copied). */
    public static <T> Results<T> of(List<EndpointResult<T>> results) {
        return new Results<>(List.copyOf(results));
    }

    /** No results. */
    public static <T> Results<T> empty() {
        return new Results<>(List.of());
    }

    @Override
    public EndpointResult<T> get(int index) {
        return results.get(index);
    }

    @Override
    public int size() {
        return results.size();
    }

    /** The mlets' values, of the {@link EndpointResult.Status#OK} results in order (a value may be null). */
    public List<T> values() {
        List<T> out = new ArrayList<>();
        for (EndpointResult<T> r : results) {
            if (r.isOk()) {
                out.add(r.value());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The results whose status {@linkplain EndpointResult.Status#isFailure() is a failure}, in order. */
    public List<EndpointResult<T>> failures() {
        return results.stream().filter(r -> r.status().isFailure()).toList();
    }

    /** The results with the given status, in order. */
    public List<EndpointResult<T>> withStatus(EndpointResult.Status status) {
        return results.stream().filter(r -> r.status() == status).toList();
    }

    /** How many results have each status (statuses with none are left out). */
    public Map<EndpointResult.Status, Integer> counts() {
        Map<EndpointResult.Status, Integer> counts = new EnumMap<>(EndpointResult.Status.class);
        results.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
        return Collections.unmodifiableMap(counts);
    }

    /** One line: how many endpoints, how many per status, and the median duration of the OK ones. */
    public String summary() {
        if (results.isEmpty()) {
            return "no endpoints";
        }
        StringBuilder sb = new StringBuilder().append(results.size()).append(results.size() == 1 ? " endpoint: " : " endpoints: ");
        String sep = "";
        for (var e : counts().entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey().label());
            sep = ", ";
        }
        List<Duration> ok = results.stream().filter(EndpointResult::isOk).map(EndpointResult::duration).sorted().toList();
        if (!ok.isEmpty()) {
            sb.append(" (median duration ").append(format(ok.get(ok.size() / 2))).append(')');
        }
        return sb.toString();
    }

    /**
     * The results as a table: number, endpoint, host id, status, start time (UTC), duration, and the
     * value's summary or the error, cut to {@value #MAX_SUMMARY} characters. The caption is
     * {@link #summary()}.
     */
    public Table table() {
        List<List<String>> rows = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            EndpointResult<T> r = results.get(i);
            rows.add(List.of(Integer.toString(i + 1), r.endpointText(), r.hostId(), r.status().label(),
                    TIME_OF_DAY.format(r.start()), format(r.duration()), shorten(r.summary())));
        }
        return new Table(summary(), List.of("#", "endpoint", "hostid", "status", "start (UTC)", "duration", "result"), rows);
    }

    /**
     * The results as CSV (RFC 4180, see {@link Table#toCsv()}), one line per endpoint with the full
     * value summary and error: {@code endpoint,hostid,status,start,end,duration_ms,value,error}
     * (times as ISO-8601 instants).
     */
    public String toCsv() {
        List<List<String>> rows = new ArrayList<>(results.size());
        for (EndpointResult<T> r : results) {
            rows.add(List.of(r.endpointText(), r.hostId(), r.status().name(), r.start().toString(), r.end().toString(),
                    millis(r.duration()), r.isOk() ? r.summary() : "", r.isOk() ? "" : r.error()));
        }
        return new Table("", List.of("endpoint", "hostid", "status", "start", "end", "duration_ms", "value", "error"), rows).toCsv();
    }

    /** Writes {@link #toCsv()} to {@code file} in UTF-8, replacing it. */
    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, toCsv(), StandardCharsets.UTF_8);
    }

    /** The summary and the table as plain text. */
    @Override
    public String toString() {
        return table().toText();
    }

    static String shorten(String s) {
        if (s.codePointCount(0, s.length()) <= MAX_SUMMARY) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_SUMMARY - 1)) + "\u2026";
    }

    /** A duration for people: {@code 850 µs}, {@code 12.3 ms}, {@code 4.56 s}, {@code 3 min 7 s}. */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + " \u00b5s";
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos < 60_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
        }
        return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    }

    private static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.truncatedTo(ChronoUnit.MICROS).toNanos() / 1e6);
    }
}
