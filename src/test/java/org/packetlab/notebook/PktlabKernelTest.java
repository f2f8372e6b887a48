package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.packetlab.notebook.magic.CancelHooks;
import org.packetlab.notebook.magic.MagicHelp;
import org.packetlab.notebook.magic.MagicUsageException;

/** The kernel evaluating cells in this JVM, as Jupyter's execute requests would. */
@Timeout(60)
class PktlabKernelTest {

    @RegisterExtension
    static final InProcessKernel started = new InProcessKernel();

    private final PktlabKernel kernel = started.get();

    @Test
    void importsMethodsAndClassesCarryOverToLaterCells() {
        kernel.eval("import java.util.concurrent.atomic.AtomicInteger;");
        kernel.eval("int twice(int x) {\n    return 2 * x;\n}");
        kernel.eval("record Point(int x, int y) {}");
        assertThat(kernel.evalRaw("new AtomicInteger(twice(new Point(3, 4).y())).get()")).isEqualTo(8);
    }

    @Test
    void lastExpressionIsTheRealObjectRenderedAsText() {
        Object value = kernel.evalRaw("int a = 20;\nList<Integer> l = List.of(a, 22);\nl");
        assertThat(value).isEqualTo(List.of(20, 22));
        DisplayData shown = kernel.eval("a + 22");
        assertThat(shown.getData(MIMEType.TEXT_PLAIN)).isEqualTo("42");
    }

    @Test
    void declarationsAndStatementsShowNothing() {
        assertThat(kernel.eval("int declared = 5;")).isNull();
        assertThat(kernel.eval("declared = 6;")).isNull();
        assertThat(kernel.eval("if (declared > 0) { declared++; }")).isNull();
        assertThat(kernel.evalRaw("declared")).isEqualTo(7);
    }

    @Test
    void productClassesAreThereWithoutImports() {
        assertThat(kernel.evalRaw("NameValues.class.getName()")).isEqualTo("org.packetlab.wire.NameValues");
    }

    @Test
    void printedTextGoesToTheKernelsStreams() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            kernel.eval("System.out.print(\"to out\");\nSystem.err.println(\"to err\");");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("to out");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("to err" + System.lineSeparator());
    }

    @Test
    void compileErrorSaysWhatAndWhereAndTheKernelGoesOn() {
        Throwable e = catchThrowable(() -> kernel.eval("int fine = 1;\nint broken = undefinedThing + 1;"));
        assertThat(e).isInstanceOf(CellFailure.CompileError.class).hasMessage("cannot find symbol");
        assertThat(e.getClass().getSimpleName()).isEqualTo("CompileError");
        List<String> traceback = kernel.formatError(e);
        assertThat(traceback.get(0)).isEqualTo("CompileError: cannot find symbol (line 2)");
        assertThat(traceback).contains("line 2: cannot find symbol", "    symbol:   variable undefinedThing",
                "    int broken = undefinedThing + 1;", "                 ^");
        assertThat(kernel.evalRaw("fine + 1")).isEqualTo(2);
    }

    @Test
    void exceptionShowsOnlyTheCellLinesThatLedThereAndTheKernelGoesOn() {
        kernel.eval("int divide(int a) {\n    int b = 10;\n    return b / a;\n}");
        Throwable e = catchThrowable(() -> kernel.eval("int ok = 1;\ndivide(0)"));
        assertThat(e).isInstanceOf(ArithmeticException.class).hasMessage("/ by zero");
        List<String> traceback = kernel.formatError(e);
        assertThat(traceback).containsExactly(
                "java.lang.ArithmeticException: / by zero",
                "    at divide (In [0], line 3)",
                "    at (In [0], line 2)");
        assertThat(kernel.evalRaw("divide(5)")).isEqualTo(2);
    }

    @Test
    void userExceptionsKeepTheirNamesAndCauses() {
        kernel.eval("class Boom extends RuntimeException {\n    Boom(Throwable cause) { super(\"bang\", cause); }\n}");
        Throwable e = catchThrowable(() -> kernel.eval("throw new Boom(new IOException(\"disk full\"));"));
        assertThat(e.getClass().getSimpleName()).isEqualTo("Boom");
        assertThat(kernel.formatError(e)).first().isEqualTo("Boom: bang");
        assertThat(kernel.formatError(e)).last().isEqualTo("Caused by: java.io.IOException: disk full");
    }

    @Test
    void checkedExceptionsAndErrorsAreReportedToo() {
        assertThatThrownBy(() -> kernel.eval("throw new IOException(\"gone\");"))
                .isInstanceOf(IOException.class).hasMessage("gone");
        Throwable error = catchThrowable(() -> kernel.eval("throw new AssertionError(\"never\");"));
        assertThat(error).isInstanceOf(CellFailure.Uncaught.class);
        assertThat(kernel.formatError(error)).first().isEqualTo("java.lang.AssertionError: never");
    }

    @Test
    void libraryFrameWhereItWasThrownIsKept() {
        Throwable e = catchThrowable(() -> kernel.eval("Integer.parseInt(\"x1\")"));
        assertThat(e).isInstanceOf(NumberFormatException.class);
        List<String> traceback = kernel.formatError(e);
        assertThat(traceback.get(0)).isEqualTo("java.lang.NumberFormatException: For input string: \"x1\"");
        assertThat(traceback.get(1)).startsWith("    at java.base/java.lang.NumberFormatException.forInputString");
        assertThat(traceback).last().isEqualTo("    at (In [0], line 1)");
        assertThat(traceback).noneMatch(l -> l.contains("jdk.jshell") || l.contains("org.packetlab.notebook")
                || l.contains("reflect"));
    }

    @Test
    void completionOfStrOffersString() {
        ReplacementOptions options = kernel.complete("Str", 3);
        assertThat(options.getReplacements()).contains("String", "StringBuilder");
        assertThat(options.getSourceStart()).isZero();
        assertThat(options.getSourceEnd()).isEqualTo(3);
        String cell = "int y = 1;\nStr";
        ReplacementOptions later = kernel.complete(cell, cell.length());
        assertThat(later.getReplacements()).contains("String");
        assertThat(later.getSourceStart()).isEqualTo(cell.length() - 3);
    }

    @Test
    void isCompleteTellsUnfinishedFromFinishedCode() {
        assertThat(kernel.isComplete("int x = 1;")).isEqualTo(PktlabKernel.IS_COMPLETE_YES);
        assertThat(kernel.isComplete("int x = 1")).isEqualTo(PktlabKernel.IS_COMPLETE_YES);
        assertThat(kernel.isComplete("int x =")).isNotIn(PktlabKernel.IS_COMPLETE_YES, PktlabKernel.IS_COMPLETE_BAD,
                PktlabKernel.IS_COMPLETE_MAYBE);
        assertThat(kernel.isComplete("void f() {")).isEqualTo("    ");
        assertThat(kernel.isComplete("%pktlab help")).isEqualTo(PktlabKernel.IS_COMPLETE_YES);
        assertThat(kernel.isComplete("int 1x = )")).isEqualTo(PktlabKernel.IS_COMPLETE_BAD);
    }

    @Test
    void inspectShowsTheSignature() {
        DisplayData doc = kernel.inspect("Math.abs(", 9, false);
        assertThat((String) doc.getData(MIMEType.TEXT_PLAIN)).contains("abs(int");
    }

    @Test
    void bareLineMagicShowsItsValue() {
        DisplayData shown = kernel.eval("%pktlab help");
        assertThat((String) shown.getData(MIMEType.TEXT_HTML)).contains("<table", "%pktlab help [NAME]");
        assertThat((String) shown.getData(MIMEType.TEXT_PLAIN)).startsWith("%pktlab help [NAME]").contains("list the %pktlab magics");
        assertThat(kernel.evalRaw("int before = 1;\n  %pktlab help help")).isInstanceOf(MagicHelp.class);
    }

    @Test
    void lineMagicIsAJavaValueInsideCode() {
        assertThat(kernel.evalRaw("org.packetlab.notebook.magic.MagicHelp help = %pktlab help help;\nhelp.entries().size()"))
                .isEqualTo(1);
        assertThat(kernel.evalRaw("String notMagic = \"a=%d b\";\nnotMagic")).isEqualTo("a=%d b");
    }

    @Test
    void cellMagicGetsItsBody() {
        assertThat(kernel.evalRaw("%%pktlab help\nbody lines are the cell magic's")).isInstanceOf(MagicHelp.class);
    }

    @Test
    void badMagicArgumentsGiveOneLineAndTheUsage() {
        Throwable e = catchThrowable(() -> kernel.eval("%pktlab help a b"));
        assertThat(e).isInstanceOf(MagicUsageException.class);
        assertThat(kernel.formatError(e)).containsExactly(
                "help: expected at most one NAME, got 2 words",
                "usage: %pktlab help [NAME]");
        assertThat(kernel.formatError(catchThrowable(() -> kernel.eval("%pktlab nonsense"))))
                .first().isEqualTo("%pktlab: unknown sub-magic 'nonsense'");
        assertThat(kernel.formatError(catchThrowable(() -> kernel.eval("%pktlab"))))
                .first().isEqualTo("%pktlab: missing sub-magic");
        assertThat(kernel.formatError(catchThrowable(() -> kernel.eval("%nosuchmagic x"))))
                .containsExactly("unknown line magic %nosuchmagic", "line magics: %pktlab");
        assertThat(kernel.formatError(catchThrowable(() -> kernel.eval("%%pktlab help"))))
                .first().isEqualTo("cell magic %%pktlab needs the cell's body below its first line");
    }

    @Test
    void interruptStopsASleepingCellAndRunsTheCancelHooks() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CellSignals.running = new CountDownLatch(1);
        try (CancelHooks.Registration r = kernel.cancelHooks().add(() -> cancelled.set(true))) {
            CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> kernel.evalRaw(
                    "org.packetlab.notebook.CellSignals.running.countDown();\nThread.sleep(60_000);"));
            assertThat(CellSignals.running.await(20, TimeUnit.SECONDS)).isTrue();
            kernel.interrupt();
            Throwable e = catchThrowable(() -> cell.get(10, TimeUnit.SECONDS));
            assertThat(e).hasCauseInstanceOf(CellFailure.Interrupted.class);
            assertThat(kernel.formatError(e.getCause())).containsExactly("Interrupted: the cell was stopped");
        }
        assertThat(cancelled).isTrue();
        assertThat(kernel.evalRaw("\"still alive\"")).isEqualTo("still alive");
    }

    @Test
    void interruptStopsABusyLoop() throws Exception {
        CellSignals.running = new CountDownLatch(1);
        CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> kernel.evalRaw(
                "org.packetlab.notebook.CellSignals.running.countDown();\nlong n = 0;\nwhile (true) { n++; }"));
        assertThat(CellSignals.running.await(20, TimeUnit.SECONDS)).isTrue();
        kernel.interrupt();
        assertThat(catchThrowable(() -> cell.get(10, TimeUnit.SECONDS))).hasCauseInstanceOf(CellFailure.Interrupted.class);
        assertThat(kernel.evalRaw("1 + 1")).isEqualTo(2);
    }
}
