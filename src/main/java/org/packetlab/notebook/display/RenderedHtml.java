package org.packetlab.notebook.display;

import java.util.Objects;

/**
 * HTML to render as HTML, on request only ({@code html(r.value().response())}): text shown as a
 * cell's value is escaped otherwise. Its plain-text twin is the HTML source.
 */
public record RenderedHtml(String html) {

    public RenderedHtml {
        Objects.requireNonNull(html, "html");
    }

    @Override
    public String toString() {
        return html;
    }
}
