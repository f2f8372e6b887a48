package org.packetlab.notebook.display;

import java.util.List;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.packetlab.notebook.magic.MagicHelp;
import org.packetlab.results.Results;
import org.packetlab.results.Table;

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

    /** The results table, then the summary line under it. */
    static String results(Results<?> results) {
        Table t = results.table();
        return new Table("", t.columns(), t.rows()).toHtml() + "<p>" + Html.escape(results.summary()) + "</p>";
    }

    static String magicHelp(MagicHelp help) {
        return Html.table(List.of("magic", "what it does"),
                help.entries().stream().map(e -> List.of(e.syntax(), e.summary())).toList());
    }
}
