package org.packetlab.notebook;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.packetlab.notebook.display.Displays;
import org.packetlab.notebook.display.RenderedHtml;
import org.packetlab.results.WebResponse;

/**
 * Display functions every cell has (statically imported at start-up). Unlike JJava's
 * {@code display}, {@link #display(Object)} returns nothing, so calling it last in a cell does
 * not also show an id.
 */
public final class NotebookFunctions {
    private NotebookFunctions() {}

    /** Shows {@code value} below the cell now, rendered as a cell's value is. */
    public static void display(Object value) {
        Displays.show(BaseKernel.notebookKernel(), value);
    }

    /** Shows {@code value} and returns an id for {@link #updateDisplay}: {@code var id = displayLive(x);}. */
    public static String displayLive(Object value) {
        return Displays.showLive(BaseKernel.notebookKernel(), value);
    }

    /** Replaces what {@link #displayLive} showed under {@code id} with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        Displays.update(BaseKernel.notebookKernel(), id, value);
    }

    /** {@code html} to be rendered as HTML (text values are shown escaped): {@code html(r.get(0).value().response())}. */
    public static RenderedHtml html(String html) {
        return new RenderedHtml(html);
    }

    /**
     * The body of a web response rendered as a page, in a sandboxed frame (no scripts, no access to
     * the notebook): {@code html(page)}. Shown as a value, a response is escaped text.
     */
    public static RenderedHtml html(WebResponse response) {
        return Displays.renderedPage(response);
    }

    /** The display data of {@code value} (all its MIME types), without showing it. */
    public static DisplayData render(Object value) {
        return BaseKernel.notebookKernel().getRenderer().render(value);
    }
}
