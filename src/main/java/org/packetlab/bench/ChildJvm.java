package org.packetlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.packetlab.config.JvmOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM running a main class of this JVM's class path, driven by lines over its standard
 * input and output (its standard error is inherited). Benchmarks put one side of many connections
 * there when a single process cannot hold both ends within the open-file limit.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(Fleet.class, List.of("-Xmx2g"), List.of("1000"))) {
 *     child.expect("ready");
 *     child.send("go");
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final long EXIT_WAIT_SECONDS = 10;
    /** How a child's line reporting a failure starts. */
    public static final String ERROR = "error ";

    private final Process process;
    private final BufferedReader from;
    private final Writer to;

    private ChildJvm(Process process) {
        this.process = process;
        this.from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.to = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code java [JvmOptions] [jvmOptions] -cp <this class path> main [args]} with this JVM's java. */
    public static ChildJvm start(Class<?> main, List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JvmOptions.forThisRuntime());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Sends one line to the child's standard input (thread-safe). */
    public synchronized void send(String line) throws IOException {
        to.write(line);
        to.write('\n');
        to.flush();
    }

    /**
     * Reads the child's lines up to the first that starts with {@code prefix} and returns its rest,
     * trimmed. A line {@code error ...} fails with the child's reason. Other lines (what the JVM
     * itself prints, such as JFR's start-up notes) are skipped.
     */
    public String expect(String prefix) throws IOException {
        for (String line; (line = from.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
            if (line.startsWith(ERROR)) {
                throw new IOException("the child JVM failed: " + line.substring(ERROR.length()).trim());
            }
            log.debug("child JVM {} said: {}", process.pid(), line);
        }
        throw new IOException("the child JVM ended before saying \"" + prefix + "…\"");
    }

    /** Closes the child's standard input (its cue to end), waits a little, then kills it if needed. */
    @Override
    public void close() {
        try {
            to.close();
        } catch (IOException e) {
            log.debug("child JVM {}: closing its input failed ({}); it has probably ended", process.pid(), e.toString());
        }
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
