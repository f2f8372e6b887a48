package org.packetlab.notebook;

import java.util.List;

/**
 * Why a cell did not complete. The simple class name is what Jupyter shows as the error name,
 * so the subclasses are named for the reader of a notebook.
 */
abstract sealed class CellFailure extends RuntimeException
        permits CellFailure.CompileError, CellFailure.Interrupted, CellFailure.Uncaught {

    private CellFailure(String message, Throwable cause) {
        // no stack trace: it would show the kernel, not the cell
        super(message, cause, false, false);
    }

    /** The cell does not compile; {@code report} holds the compiler's messages with the lines they point at. */
    static final class CompileError extends CellFailure {
        private final int line;
        private final List<String> report;

        CompileError(String message, int line, List<String> report) {
            super(message, null);
            this.line = line;
            this.report = List.copyOf(report);
        }

        /** The cell line of the first error (0 when unknown). */
        int line() {
            return line;
        }

        List<String> report() {
            return report;
        }
    }

    /** The cell was stopped by a kernel interrupt. */
    static final class Interrupted extends CellFailure {
        Interrupted() {
            super("the cell was interrupted", null);
        }
    }

    /**
     * The cell's code threw {@code thrown}; {@code cellFrames} are JShell's frames of it that point
     * into cells (file name {@code #snippet-id}, line within the snippet).
     */
    static final class Uncaught extends CellFailure {
        private final transient StackTraceElement[] cellFrames;

        Uncaught(Throwable thrown, StackTraceElement[] cellFrames) {
            super(CellErrors.describe(thrown), thrown);
            this.cellFrames = cellFrames.clone();
        }

        Throwable thrown() {
            return getCause();
        }

        StackTraceElement[] cellFrames() {
            return cellFrames.clone();
        }
    }
}
