package org.packetlab.results;

/**
 * Escaping of text for HTML, shared by every HTML the product writes (result tables, notebook
 * output, the portal's pages).
 */
public final class Html {
    private Html() {}

    /**
     * {@code text} safe in HTML element content and quoted attribute values: {@code & < > " '}
     * become character references; control characters other than tab, line feed and carriage
     * return (which HTML does not allow) become U+FFFD.
     */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                case '\n', '\t', '\r' -> sb.append(c);
                default -> sb.append(Character.isISOControl(c) ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
