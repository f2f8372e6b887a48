package org.packetlab.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Java cells evaluated by an in-process JShell: splits a cell into snippets, evaluates them in
 * order and returns the value of the last one when it is an expression; compile errors, uncaught
 * exceptions and interrupts come out as {@link CellFailure}s.
 */
final class CellRunner implements AutoCloseable {

    private final JShell shell;
    private final CapturingExecutionControl control;
    /** Where each snippet came from, to point traces at cell lines. */
    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();

    /** Done once the start-up snippets ran; JShell is not used by anyone else before that. */
    private final CompletableFuture<Void> ready;

    /**
     * Starts JShell and runs {@code startup} in the background (compiling it takes seconds, which
     * overlap with Jupyter connecting); every use waits for it.
     */
    CellRunner(List<String> startup) {
        CapturingExecutionControl.Provider provider = new CapturingExecutionControl.Provider();
        this.shell = JShell.builder().executionEngine(provider, Map.of()).build();
        this.control = provider.control();
        this.ready = CompletableFuture.runAsync(() -> runStartup(startup),
                r -> Thread.ofPlatform().name("pktlab-kernel-startup").daemon().start(r));
    }

    private void runStartup(List<String> startup) {
        for (String snippet : startup) {
            for (SnippetEvent e : shell.eval(snippet)) {
                if (e.status() == Snippet.Status.REJECTED) {
                    throw new IllegalStateException("kernel start-up snippet rejected: " + snippet + ": "
                            + shell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT))
                                    .collect(Collectors.joining("; ")));
                }
            }
        }
    }

    /** Waits for the start-up snippets; fails for good when one of them failed. */
    private void awaitReady() {
        try {
            ready.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the kernel could not start: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Evaluates a cell of Java source and returns the value of its last snippet when that is an
     * expression (null otherwise).
     *
     * @param cellNumber the cell's execution count, named in traces of later failures
     */
    Object eval(String cell, int cellNumber) {
        awaitReady();
        control.clearStop();
        String remaining = cell;
        Object value = null;
        while (!remaining.isBlank()) {
            throwIfStopped();
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            String source;
            int start = cell.length() - remaining.length();
            if (info.completeness().isComplete()) {
                source = info.source();
                remaining = info.remaining();
            } else {
                // incomplete or unparsable: let the compiler say what is wrong with the rest
                source = remaining;
                remaining = "";
            }
            // JShell numbers trace lines from the first non-blank character of a snippet
            int blanks = leadingBlanks(source);
            value = evalSnippet(source.substring(blanks), cell, start + blanks, cellNumber);
        }
        throwIfStopped();
        return value;
    }

    private Object evalSnippet(String source, String cell, int start, int cellNumber) {
        SnippetOrigin origin = new SnippetOrigin(cellNumber, lineOf(cell, start));
        List<SnippetEvent> events = shell.eval(source);
        Object value = null;
        for (SnippetEvent event : events) {
            if (event.causeSnippet() != null) {
                continue;
            }
            Snippet snippet = event.snippet();
            origins.put(snippet.id(), origin);
            if (event.status() == Snippet.Status.REJECTED
                    || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
                throw compilationFailure(snippet, cell, start);
            }
            if (event.exception() != null) {
                throwIfStopped();
                throw runtimeFailure(event.exception());
            }
            value = shows(snippet) ? control.takeValue() : null;
        }
        return value;
    }

    /** Stops the running cell: interrupts its threads and makes its loops exit. */
    void stop() {
        shell.stop();
    }

    String isComplete(String code) {
        awaitReady();
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            Completeness c = info.completeness();
            switch (c) {
                case COMPLETE, COMPLETE_WITH_SEMI -> remaining = info.remaining();
                case EMPTY -> remaining = "";
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return indentOfLastLine(code);
                }
                case UNKNOWN -> {
                    return PktlabKernel.IS_COMPLETE_BAD;
                }
            }
        }
        return PktlabKernel.IS_COMPLETE_YES;
    }

    /** Completions at {@code cursor}: the replacement texts and the range of code they replace. */
    Completions complete(String code, int cursor) {
        awaitReady();
        int snippetStart = snippetStartAt(code, cursor);
        String snippet = code.substring(snippetStart);
        int[] anchor = new int[1];
        List<String> texts = shell.sourceCodeAnalysis()
                .completionSuggestions(snippet, cursor - snippetStart, anchor).stream()
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .toList();
        return new Completions(texts, snippetStart + anchor[0], cursor);
    }

    /** Signatures (and javadoc when asked) of what is at {@code cursor}. */
    List<String> documentation(String code, int cursor, boolean javadoc) {
        awaitReady();
        int snippetStart = snippetStartAt(code, cursor);
        return shell.sourceCodeAnalysis()
                .documentation(code.substring(snippetStart), cursor - snippetStart, javadoc).stream()
                .map(d -> javadoc && d.javadoc() != null ? d.signature() + "\n" + d.javadoc() : d.signature())
                .toList();
    }

    /** The line in its cell, and the cell, where a snippet started. */
    SnippetOrigin originOf(String snippetId) {
        return origins.get(snippetId);
    }

    @Override
    public void close() {
        ready.cancel(false);
        shell.close();
    }

    private void throwIfStopped() {
        if (control.stopRequested()) {
            throw new CellFailure.Interrupted();
        }
    }

    private CellFailure compilationFailure(Snippet snippet, String cell, int start) {
        List<Diag> errors = shell.diagnostics(snippet).filter(Diag::isError).toList();
        if (errors.isEmpty() && snippet instanceof DeclarationSnippet declaration) {
            return new CellFailure.CompileError(declaration.name() + " uses "
                    + String.join(", ", shell.unresolvedDependencies(declaration).toList()) + ", which is not defined",
                    lineOf(cell, start), List.of());
        }
        List<String> report = new ArrayList<>();
        String first = null;
        int firstLine = lineOf(cell, start);
        for (Diag d : errors) {
            String[] message = d.getMessage(Locale.ROOT).split("\\R");
            int at = Math.min(cell.length(), start + (int) Math.max(0, d.getStartPosition()));
            int line = lineOf(cell, at);
            if (first == null) {
                first = message[0];
                firstLine = line;
            }
            report.add("line " + line + ": " + message[0]);
            for (int i = 1; i < message.length; i++) {
                report.add("    " + message[i].strip());
            }
            int lineStart = at == 0 ? 0 : cell.lastIndexOf('\n', at - 1) + 1;
            int lineEnd = cell.indexOf('\n', lineStart);
            String text = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd).stripTrailing();
            report.add("    " + text);
            report.add("    " + " ".repeat(Math.min(at - lineStart, text.length())) + "^");
        }
        return new CellFailure.CompileError(first == null ? "the cell does not compile" : first, firstLine, report);
    }

    private CellFailure runtimeFailure(JShellException e) {
        if (e instanceof UnresolvedReferenceException unresolved) {
            control.takeThrown();
            DeclarationSnippet s = unresolved.getSnippet();
            return new CellFailure.CompileError(
                    s.name() + " cannot run: it uses " + String.join(", ", shell.unresolvedDependencies(s).toList())
                            + ", which is not defined",
                    0, List.of());
        }
        Throwable thrown = control.takeThrown();
        if (thrown == null) {
            thrown = e;
        }
        // JShell's copy of the trace names snippets by id ("#12") and numbers lines within them
        StackTraceElement[] cellFrames = e instanceof EvalException
                ? Arrays.stream(e.getStackTrace())
                        .filter(f -> f.getFileName() != null && f.getFileName().startsWith("#"))
                        .toArray(StackTraceElement[]::new)
                : new StackTraceElement[0];
        return new CellFailure.Uncaught(thrown, cellFrames);
    }

    /** Whether a snippet's value is the cell's result: expressions yes, declarations and statements no. */
    private static boolean shows(Snippet snippet) {
        return switch (snippet.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
            default -> false;
        };
    }

    private int snippetStartAt(String code, int cursor) {
        int start = 0;
        String remaining = code;
        while (!remaining.isBlank()) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                break;
            }
            int next = code.length() - info.remaining().length();
            if (next >= cursor || next <= start) {
                break;
            }
            start = next;
            remaining = info.remaining();
        }
        return start;
    }

    private static int leadingBlanks(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** 1-based line of offset {@code pos} in {@code text}. */
    static int lineOf(String text, int pos) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String indentOfLastLine(String code) {
        String last = code.substring(code.lastIndexOf('\n') + 1);
        String indent = last.substring(0, last.length() - last.stripLeading().length());
        return last.stripTrailing().endsWith("{") ? indent + "    " : indent;
    }

    /** Where a snippet started: the execution count of its cell and the line in that cell. */
    record SnippetOrigin(int cell, int line) {}

    /** Completion texts and the range of the cell they replace. */
    record Completions(List<String> texts, int start, int end) {}
}
