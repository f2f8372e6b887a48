package org.packetlab.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A table of strings: a caption, column names and rows, rendered as aligned plain text, as an HTML
 * table or as CSV. Renderers escape what their format needs; cells are taken as plain text.
 *
 * @param caption what the table shows, one line (may be empty)
 * @param columns the column names
 * @param rows    the rows, each with one cell per column
 */
public record Table(String caption, List<String> columns, List<List<String>> rows) {

    public Table {
        Objects.requireNonNull(caption, "caption");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + copy.size() + " has " + row.size() + " cells for " + columns.size() + " columns");
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
    }

    /**
     * Plain text: the caption, a header line, a rule, then one line per row, columns aligned and
     * separated by two spaces. Control characters in cells are shown escaped ({@code \n}) so that
     * each row stays on one line.
     */
    public String toText() {
        int[] width = new int[columns.size()];
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(columns.stream().map(Table::oneLine).toList());
        rows.forEach(r -> lines.add(r.stream().map(Table::oneLine).toList()));
        for (List<String> line : lines) {
            for (int c = 0; c < width.length; c++) {
                width[c] = Math.max(width[c], displayWidth(line.get(c)));
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!caption.isBlank()) {
            sb.append(oneLine(caption)).append('\n');
        }
        for (int i = 0; i < lines.size(); i++) {
            appendLine(sb, lines.get(i), width);
            if (i == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                appendLine(sb, rule, width);
            }
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] width) {
        int start = sb.length();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            sb.append(cell);
            if (c < cells.size() - 1) {
                sb.append(" ".repeat(width[c] - displayWidth(cell) + 2));
            }
        }
        // no trailing blanks when the last cells are empty
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    private static int displayWidth(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Escapes control characters so the text stays on one line. */
    static String oneLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String esc = switch (ch) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(ch) ? String.format(Locale.ROOT, "\\x%02x", (int) ch) : null;
            };
            if (esc != null && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (esc != null) {
                    sb.append(esc);
                } else {
                    sb.append(ch);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * An HTML {@code <table>} fragment: the caption as {@code <caption>}, column names as
     * {@code <th scope="col">} in a {@code <thead>}, rows in a {@code <tbody>}. Every cell and the
     * caption are escaped; the fragment loads nothing and runs no script.
     */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"pktlab-table\">\n");
        if (!caption.isBlank()) {
            sb.append("<caption>").append(Html.escape(caption)).append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (String c : columns) {
            sb.append("<th scope=\"col\">").append(Html.escape(c)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (String cell : row) {
                sb.append("<td>").append(Html.escape(cell)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    /**
     * CSV (RFC 4180): a header line with the column names, then one line per row, lines ending in
     * CRLF. A cell containing a comma, a double quote, CR or LF, or starting or ending with a
     * blank, is quoted, its double quotes doubled. The caption is not written.
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        appendCsv(sb, columns);
        rows.forEach(r -> appendCsv(sb, r));
        return sb.toString();
    }

    private static void appendCsv(StringBuilder sb, List<String> cells) {
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            sb.append(csv(cells.get(c)));
        }
        sb.append("\r\n");
    }

    static String csv(String s) {
        boolean quote = !s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ');
        for (int i = 0; i < s.length() && !quote; i++) {
            char ch = s.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** The plain-text rendering. */
    @Override
    public String toString() {
        return toText();
    }
}
