package org.packetlab.notebook.display;

import java.util.List;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.packetlab.notebook.magic.MagicHelp;
import org.packetlab.results.Html;
import org.packetlab.results.Results;
import org.packetlab.results.Table;
import org.packetlab.results.Tabular;
import org.packetlab.results.WebResponse;

/** Registers how PacketLab values render in a notebook. */
public final class Displays {
    private Displays() {}

    /** Registers every PacketLab render function with {@code renderer}. */
    public static void registerAll(Renderer renderer) {
        renderer.createRegistration(MagicHelp.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((help, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> magicHelp(help)));
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((table, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, table::toHtml));
        renderer.createRegistration(Results.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((results, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, () -> results(results)));
        renderer.createRegistration(Tabular.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((value, context) -> {
                    Table table = value.table();
                    context.renderIfRequested(MIMEType.TEXT_HTML, table::toHtml);
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, table::toText);
                });
        renderer.createRegistration(WebResponse.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((response, context) -> {
                    context.renderIfRequested(MIMEType.TEXT_HTML, () -> responseText(response));
                    context.renderIfRequested(MIMEType.TEXT_PLAIN, response::response);
                });
        renderer.createRegistration(RenderedHtml.class)
                .preferring(MIMEType.TEXT_HTML)
                .register((html, context) -> context.renderIfRequested(MIMEType.TEXT_HTML, html::html));
    }

    /** Shows {@code value} below the running cell of {@code kernel} now, rendered as a cell's value is. */
    public static void show(BaseKernel kernel, Object value) {
        kernel.display(kernel.getRenderer().render(value));
    }

    /** Shows {@code value} and returns the display id that {@link #update} replaces it by. */
    public static String showLive(BaseKernel kernel, Object value) {
        DisplayData data = kernel.getRenderer().render(value);
        String id = UUID.randomUUID().toString();
        data.setDisplayId(id);
        kernel.display(data);
        return id;
    }

    /** Replaces what {@link #showLive} showed under {@code id} with {@code value}. */
    public static void update(BaseKernel kernel, String id, Object value) {
        kernel.getIO().display.updateDisplay(id, kernel.getRenderer().render(value));
    }

    /** A web response as escaped text: whatever the server sent, nothing of it runs or loads. */
    static String responseText(WebResponse response) {
        return "<pre class=\"pktlab-response\">" + Html.escape(response.response()) + "</pre>";
    }

    /**
     * The body of {@code response} rendered as a page, in a sandboxed frame: its scripts do not run,
     * and it cannot reach the notebook (the frame's origin is unique).
     */
    public static RenderedHtml renderedPage(WebResponse response) {
        return new RenderedHtml("<iframe class=\"pktlab-page\" sandbox=\"\" style=\"width:100%;height:24em;border:1px solid #ccc\""
                + " srcdoc=\"" + Html.escape(response.bodyText()) + "\"></iframe>");
    }

    /** The results table, then the summary line under it. */
    static String results(Results<?> results) {
        Table t = results.table();
        return new Table("", t.columns(), t.rows()).toHtml() + "<p>" + Html.escape(results.summary()) + "</p>";
    }

    static String magicHelp(MagicHelp help) {
        return new Table("", List.of("magic", "what it does"),
                help.entries().stream().map(e -> List.of(e.syntax(), e.summary())).toList()).toHtml();
    }
}
