package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Jupyter for the tests: Debian's client side run by {@code /usr/bin/python3}
 * ({@code scripts/test-prereqs.sh} installs it), finding our kernelspec through {@code JUPYTER_PATH}.
 */
public final class JupyterTool {

    /** The interpreter that has nbclient, nbconvert and jupyter_client (the first python3 on PATH may not). */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private JupyterTool() {}

    /** What a finished process printed. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Both streams, for assertion messages. */
        public String output() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs {@code python3 -m jupyter ARGS} with {@code jupyterPath} first on Jupyter's search path. */
    public static Result run(Path jupyterPath, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-m", "jupyter"));
        command.addAll(List.of(args));
        return exec(command, jupyterPath, timeoutSeconds);
    }

    /** Runs the Python script {@code script} with {@code args}, Jupyter searching {@code jupyterPath} first. */
    public static Result python(Path jupyterPath, int timeoutSeconds, Path script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script.toString()));
        command.addAll(List.of(args));
        return exec(command, jupyterPath, timeoutSeconds);
    }

    /**
     * JVM options of the test kernels, which live for one notebook: C1 only and the serial collector
     * start the kernel, its first cells and a lab about twice as fast on a loaded 2-core machine
     * (start, lab and two runs measured at 13-14 s instead of 22-29 s); peak speed does not matter here.
     */
    static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Writes, under {@code jupyterPath/kernels/NAME}, the kernelspec of the kernel as this test JVM
     * sees it: its class path (compiled classes and dependencies) instead of the packaged jar, and
     * the {@link #QUICK_START} options.
     */
    public static Path writeTestKernelspec(Path jupyterPath, String name) throws IOException {
        String javaHome = System.getProperty("java.home");
        KernelSpec spec = new KernelSpec(Path.of(javaHome, "bin", "java"), System.getProperty("java.class.path"),
                Path.of("").toAbsolutePath());
        Path dir = spec.writeTo(jupyterPath.resolve("kernels").resolve(name));
        Path kernelJson = dir.resolve("kernel.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode kernel = (ObjectNode) json.readTree(kernelJson.toFile());
        ArrayNode argv = (ArrayNode) kernel.get("argv");
        for (int i = 0; i < QUICK_START.size(); i++) {
            argv.insert(1 + i, QUICK_START.get(i));
        }
        json.writerWithDefaultPrettyPrinter().writeValue(kernelJson.toFile(), kernel);
        return dir;
    }

    private static Result exec(List<String> command, Path jupyterPath, int timeoutSeconds)
            throws IOException, InterruptedException {
        requirePrerequisites();
        Path logs = Files.createTempDirectory("pktlab-jupyter-");
        Path stdout = logs.resolve("stdout");
        Path stderr = logs.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JUPYTER_PATH", jupyterPath.toAbsolutePath().toString());
        // connection files and the like stay out of the user's home
        pb.environment().put("JUPYTER_RUNTIME_DIR", logs.resolve("runtime").toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command)
                        + "\n--- stdout\n" + Files.readString(stdout) + "\n--- stderr\n" + Files.readString(stderr));
            }
            return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            deleteTree(logs);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static volatile boolean checked;

    /** Fails with what to install when the Jupyter client side is missing. */
    private static void requirePrerequisites() throws IOException, InterruptedException {
        if (checked) {
            return;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import nbclient, nbformat, jupyter_client, nbconvert")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as("the notebook tests need Jupyter for " + PYTHON + ": run scripts/test-prereqs.sh (" + out.strip() + ")")
                .isTrue();
        checked = true;
    }
}
