package org.packetlab.notebook.display;

import java.util.List;

/** Small HTML builders for notebook output; every text goes through {@link #escape}. */
final class Html {
    private Html() {}

    /** {@code text} safe inside HTML elements and attribute values. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A table with a header row; cells are plain text (escaped here). */
    static String table(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table class=\"pktlab\">\n<thead><tr>");
        for (String h : header) {
            sb.append("<th style=\"text-align:left\">").append(escape(h)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (String cell : row) {
                sb.append("<td style=\"text-align:left\">").append(escape(cell)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>").toString();
    }
}
