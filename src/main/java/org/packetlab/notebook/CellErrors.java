package org.packetlab.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.packetlab.notebook.magic.MagicUsageException;

/**
 * Jupyter tracebacks for failed cells: what went wrong in one line, then only the lines of the
 * user's cells that led there (never the kernel's or JShell's frames).
 */
final class CellErrors {

    /** JShell's wrapper classes ({@code REPL.$JShell$12$Foo}) hide the user's class names. */
    private static final Pattern WRAPPER = Pattern.compile("REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?");

    private CellErrors() {}

    /** {@code ClassName: message} of a throwable, with the user's class names as written. */
    static String describe(Throwable t) {
        String name = readableName(t.getClass().getName());
        String message = t.getMessage();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }

    /**
     * The traceback lines of a failure.
     *
     * @param origins where each snippet (by id) started, to turn JShell frames into cell lines
     */
    static List<String> traceback(Throwable failure, Function<String, CellRunner.SnippetOrigin> origins) {
        return switch (failure) {
            case CellFailure.CompileError c -> compileError(c);
            case CellFailure.Interrupted i -> List.of("Interrupted: the cell was stopped");
            case CellFailure.Uncaught u -> uncaught(u, origins);
            case MagicUsageException m -> magicUsage(m);
            default -> List.of(describe(failure));
        };
    }

    private static List<String> compileError(CellFailure.CompileError c) {
        List<String> lines = new ArrayList<>();
        lines.add("CompileError: " + c.getMessage() + (c.line() > 0 ? " (line " + c.line() + ")" : ""));
        lines.addAll(c.report());
        return lines;
    }

    private static List<String> magicUsage(MagicUsageException m) {
        List<String> lines = new ArrayList<>();
        lines.add(m.getMessage());
        if (m.usage() != null) {
            lines.addAll(m.usage().lines().toList());
        }
        return lines;
    }

    private static List<String> uncaught(CellFailure.Uncaught u, Function<String, CellRunner.SnippetOrigin> origins) {
        Throwable thrown = u.thrown();
        if (thrown instanceof MagicUsageException m) {
            return magicUsage(m);
        }
        List<String> lines = new ArrayList<>();
        lines.add(describe(thrown));
        StackTraceElement[] own = thrown.getStackTrace();
        StackTraceElement[] cell = u.cellFrames();
        if (own.length > 0 && !isCellFrame(own[0])) {
            // where it was thrown, when that is library code rather than a cell
            lines.add("    at " + own[0]);
        }
        for (StackTraceElement f : cell) {
            lines.add("    at " + cellFrame(f, origins));
        }
        for (Throwable c = thrown.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            lines.add("Caused by: " + describe(c));
        }
        return lines;
    }

    private static boolean isCellFrame(StackTraceElement f) {
        return f.getClassName().startsWith("REPL.");
    }

    /** A JShell frame ({@code #12:3}) as {@code method (In [4], line 7)}. */
    private static String cellFrame(StackTraceElement f, Function<String, CellRunner.SnippetOrigin> origins) {
        String file = f.getFileName() == null ? "" : f.getFileName();
        CellRunner.SnippetOrigin origin = file.startsWith("#") ? origins.apply(file.substring(1)) : null;
        String method = f.getMethodName().isEmpty() || f.getMethodName().equals("do_it$") ? "" : f.getMethodName() + " ";
        String className = readableName(f.getClassName());
        String where = className.isEmpty() ? method : className + "." + method;
        if (origin == null) {
            return where + "(" + file + ":" + f.getLineNumber() + ")";
        }
        return where + "(In [" + origin.cell() + "], line " + (origin.line() + f.getLineNumber() - 1) + ")";
    }

    private static String readableName(String className) {
        return WRAPPER.matcher(className).replaceAll("");
    }
}
