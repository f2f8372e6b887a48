package org.packetlab.notebook;

import java.util.List;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;
import org.dflib.jjava.jupyter.messages.request.KernelInfoRequest;
import org.packetlab.notebook.magic.CancelHooks;
import org.packetlab.notebook.magic.MagicUsageException;

/**
 * The Jupyter kernel "PacketLab (Java)": Java cells run by an in-process JShell whose class path
 * has the product, the {@code %pktlab} magics, and PacketLab's renderers.
 *
 * <p>A cell's code runs on a thread of its own; {@link #interrupt()} stops the cell and runs the
 * registered {@linkplain #cancelHooks() cancel hooks} (a running experiment stops).
 */
public final class PktlabKernel extends BaseKernel {

    private final CellRunner runner;
    private final CancelHooks cancelHooks = new CancelHooks();
    /** The last cell's uncaught exception, so {@link #formatError} can show its cell frames. */
    private volatile CellFailure.Uncaught lastUncaught;

    private PktlabKernel(Builder b, LanguageInfo languageInfo) {
        super(b.name(), b.version(), languageInfo, List.of(), null, b.io(), b.comms(), b.renderer(),
                PktlabMagicTranspiler.parser(), b.registry(), b.extensions(), b.styler());
        this.runner = new CellRunner(KernelStartup.IMPORTS);
    }

    /** A builder of kernels; {@code PktlabKernel.builder().build()} is the product's kernel. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What the next interrupt cancels: an experiment registers its cancel action while it runs
     * ({@code try (var r = kernel.cancelHooks().add(run::cancel)) { ... }}).
     */
    public CancelHooks cancelHooks() {
        return cancelHooks;
    }

    @Override
    public void onStartup() {
        super.onStartup();
        // the service file installs it already when extensions are enabled; installing is by class, so once
        installExtension(new PktlabExtension());
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        try {
            super.onShutdown(isRestarting);
        } finally {
            runner.close();
        }
    }

    @Override
    public Object evalRaw(String source) {
        String java = magicParser.resolveMagics(requireCellMagicBody(source));
        try {
            return runner.eval(java, Math.max(0, executionCount.get() - 1));
        } catch (CellFailure.Uncaught u) {
            lastUncaught = u;
            // the user's own exception names the error; an Error stays wrapped (Jupyter reports exceptions only)
            throw u.thrown() instanceof Exception e ? Rethrow.unchecked(e) : u;
        } finally {
            System.out.flush();
            System.err.flush();
        }
    }

    @Override
    public List<String> formatError(Throwable e) {
        CellFailure.Uncaught u = lastUncaught;
        Throwable failure = u != null && u.thrown() == e ? u : e;
        return CellErrors.traceback(failure, runner::originOf);
    }

    @Override
    public void interrupt() {
        // the stop first: a cancelled experiment may end its cell at once, and the cell must fail as stopped
        runner.stop();
        cancelHooks.cancelAll();
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        CellRunner.Completions c = runner.complete(code, at);
        return new ReplacementOptions(c.texts(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        String firstLine = code.stripLeading();
        if (firstLine.startsWith("%%")) {
            // a cell magic takes the cell as it is
            return IS_COMPLETE_YES;
        }
        return runner.isComplete(magicParser.resolveMagics(code));
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<String> docs = runner.documentation(code, at, extraDetail);
        return docs.isEmpty() ? null : new DisplayData(String.join("\n\n", docs));
    }

    /** Replies to kernel_info with {@code "status": "ok"}, which JJava's reply leaves out. */
    @Override
    protected void handleKernelInfoRequest(ShellReplyEnvironment env, Message<KernelInfoRequest> request) {
        env.setBusyDeferIdle();
        env.reply(new OkKernelInfoReply(getName(), getVersion(), getLanguageInfo(), getBanner()));
    }

    /** A cell magic's body starts on its second line: a lone {@code %%name} line is a usage error. */
    private static String requireCellMagicBody(String source) {
        String cell = source.stripLeading();
        if (cell.startsWith("%%") && cell.strip().lines().count() == 1) {
            String name = cell.strip().substring(2).split("\\s+", 2)[0];
            throw new MagicUsageException("cell magic %%" + name + " needs the cell's body below its first line",
                    "usage: %%" + name + " ARGS... on the first line, then the body");
        }
        return source;
    }

    /** kernel_info_reply as the protocol has it: JJava's fields plus {@code status}. */
    private static final class OkKernelInfoReply extends KernelInfoReply {
        @SuppressWarnings("unused") // serialized by the protocol's JSON writer
        private final String status = "ok";

        OkKernelInfoReply(String name, String version, LanguageInfo language, String banner) {
            super(Header.PROTOCOL_VERISON, name, version, language, banner, List.of());
        }
    }

    /** Builds {@link PktlabKernel}s. */
    public static final class Builder extends BaseKernelBuilder<Builder, PktlabKernel> {
        private Builder() {
            name("pktlab");
            String v = PktlabKernel.class.getPackage().getImplementationVersion();
            version(v == null ? "development" : v);
        }

        @Override
        public PktlabKernel build() {
            LanguageInfo java = new LanguageInfo.Builder("java")
                    .version(Runtime.version().toString())
                    .mimetype("text/x-java-source")
                    .fileExtension(".jshell")
                    .pygments("java")
                    .codemirror("text/x-java")
                    .build();
            return new PktlabKernel(this, java);
        }

        String name() {
            return buildName();
        }

        String version() {
            return buildVersion();
        }

        JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        CommManager comms() {
            return buildCommManager();
        }

        Renderer renderer() {
            return buildRenderer();
        }

        MagicsRegistry registry() {
            return buildMagicsRegistry();
        }

        boolean extensions() {
            return buildExtensionsEnabled();
        }

        StringStyler styler() {
            return buildErrorStyler();
        }
    }
}
