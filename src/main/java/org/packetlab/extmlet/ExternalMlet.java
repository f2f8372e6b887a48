package org.packetlab.extmlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An mlet that is an executable file, such as a C mlet built against the reference library: the
 * manager runs it as the reference does (spec/agents.md §A.6), with the endpoint link on its
 * fd 0, {@code argv[0]} = the file's base name, the arguments given, and an environment holding
 * only {@code EPADDR}. Immutable: each setter returns a new value.
 *
 * <pre>{@code
 * ExternalMlet httpGet = ExternalMlet.of(Path.of("test_http_get"), "127.0.0.1", "/index.html");
 * ExternalMlet coordinator = ExternalMlet.singleton(Path.of("test_single_mlet"), "/opt/mlets/test_http_get");
 * try (ExternalMletHost host = httpGet.start()) {          // per run
 *     ExternalSession s = host.open(transport);           // per endpoint session
 * }
 * }</pre>
 *
 * <h2>Singleton mode</h2>
 * {@link #singleton} starts one process for the whole run, with an empty environment and fd 0 =
 * a control socket over which each endpoint's link arrives (SCM_RIGHTS, with the endpoint address
 * as payload); EOF on it means no more endpoints.
 */
public final class ExternalMlet {

    /** Where the mlet's standard output and error go. */
    public enum Output {
        /** Captured per process, up to {@link #outputLimit()} bytes each, into its {@link MletReport}. */
        CAPTURE,
        /** The manager's own fds 1 and 2, as the reference does (nothing in the report). */
        INHERIT
    }

    /** How long an mlet may outstay its session before SIGTERM, and SIGTERM before SIGKILL, unless set: 5 seconds. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** Bytes kept of each captured stream unless set: 1 MiB. */
    public static final int DEFAULT_OUTPUT_LIMIT = 1 << 20;
    /** Largest message body taken from an mlet unless set: an nsend filling the endpoint's default BufMax (8 MiB) with its header fields. */
    public static final int DEFAULT_MAX_MESSAGE_BODY = (8 << 20) + 64;
    /** Bytes from the endpoint that may wait for an mlet that does not read, unless set: 16 MiB. */
    public static final long DEFAULT_QUEUE_LIMIT = 16L << 20;

    private final Path file;
    private final List<String> args;
    private final boolean singleton;
    private final Output output;
    private final int outputLimit;
    private final Duration grace;
    private final int maxMessageBody;
    private final long queueLimit;

    private ExternalMlet(Path file, List<String> args, boolean singleton, Output output, int outputLimit, Duration grace,
                         int maxMessageBody, long queueLimit) {
        this.file = file;
        this.args = args;
        this.singleton = singleton;
        this.output = output;
        this.outputLimit = outputLimit;
        this.grace = grace;
        this.maxMessageBody = maxMessageBody;
        this.queueLimit = queueLimit;
    }

    /**
     * The executable {@code file}, run once per endpoint with {@code args}; output captured.
     *
     * @throws IllegalArgumentException when the file does not exist, is not a regular file, or is not executable
     */
    public static ExternalMlet of(Path file, String... args) {
        return of(file, List.of(args));
    }

    /** As {@link #of(Path, String...)}. */
    public static ExternalMlet of(Path file, List<String> args) {
        return new ExternalMlet(checkExecutable(file), List.copyOf(args), false, Output.CAPTURE, DEFAULT_OUTPUT_LIMIT,
                DEFAULT_GRACE, DEFAULT_MAX_MESSAGE_BODY, DEFAULT_QUEUE_LIMIT);
    }

    /**
     * The executable {@code file} in singleton mode: one process for the whole run (see the class
     * comment); output captured.
     *
     * @throws IllegalArgumentException when the file does not exist, is not a regular file, or is not executable
     */
    public static ExternalMlet singleton(Path file, String... args) {
        return of(file, args).singleton(true);
    }

    /** Whether {@code file} names an existing executable regular file: what makes a command-line MLET an external mlet. */
    public static boolean isExecutableFile(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static Path checkExecutable(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("mlet " + file + " does not exist");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("mlet " + file + " is not a regular file");
        }
        if (!Files.isExecutable(file)) {
            throw new IllegalArgumentException("mlet " + file + " is not executable (chmod +x " + file + ")");
        }
        return file.toAbsolutePath().normalize();
    }

    /** The same mlet in singleton mode ({@code true}) or one process per endpoint ({@code false}). */
    public ExternalMlet singleton(boolean on) {
        return new ExternalMlet(file, args, on, output, outputLimit, grace, maxMessageBody, queueLimit);
    }

    /** Where standard output and error go (default {@link Output#CAPTURE}). */
    public ExternalMlet output(Output output) {
        return new ExternalMlet(file, args, singleton, Objects.requireNonNull(output, "output"), outputLimit, grace,
                maxMessageBody, queueLimit);
    }

    /** Bytes kept of each captured stream (at least 0; default {@value #DEFAULT_OUTPUT_LIMIT}); the rest is counted. */
    public ExternalMlet outputLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("output limit " + bytes + " < 0");
        }
        return new ExternalMlet(file, args, singleton, output, bytes, grace, maxMessageBody, queueLimit);
    }

    /** How long an mlet may outstay its session before SIGTERM, and SIGTERM before SIGKILL (positive; default 5 s). */
    public ExternalMlet grace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("grace " + grace + " is not positive");
        }
        return new ExternalMlet(file, args, singleton, output, outputLimit, grace, maxMessageBody, queueLimit);
    }

    /** Largest message body the mlet may write (0..16 MiB - 1; default {@value #DEFAULT_MAX_MESSAGE_BODY}); a longer one fails its session. */
    public ExternalMlet maxMessageBody(int bytes) {
        if (bytes < 0 || bytes > 0xFFFFFF) {
            throw new IllegalArgumentException("max message body " + bytes + " is not in 0..16777215");
        }
        return new ExternalMlet(file, args, singleton, output, outputLimit, grace, bytes, queueLimit);
    }

    /** Bytes from the endpoint that may wait for the mlet to read them (64 KiB..1 GiB; default 16 MiB); past it the session fails. */
    public ExternalMlet queueLimit(long bytes) {
        if (bytes < 1 << 16 || bytes > 1 << 30) {
            throw new IllegalArgumentException("queue limit " + bytes + " is not in 65536..1073741824");
        }
        return new ExternalMlet(file, args, singleton, output, outputLimit, grace, maxMessageBody, bytes);
    }

    /**
     * Starts hosting this mlet for one run: the link event loop and, in singleton mode, the
     * singleton process.
     *
     * @throws IOException when this platform cannot run external mlets, or the singleton process cannot start
     */
    public ExternalMletHost start() throws IOException {
        return ExternalMletHost.start(this);
    }

    /** The executable, as an absolute path. */
    public Path file() {
        return file;
    }

    /** The arguments after {@code argv[0]}. */
    public List<String> args() {
        return args;
    }

    /** The file's base name: the process's {@code argv[0]}. */
    public String name() {
        return file.getFileName().toString();
    }

    /** The whole argument vector: {@link #name()}, then {@link #args()}. */
    public List<String> argv() {
        List<String> argv = new ArrayList<>(1 + args.size());
        argv.add(name());
        argv.addAll(args);
        return List.copyOf(argv);
    }

    public boolean isSingleton() {
        return singleton;
    }

    public Output output() {
        return output;
    }

    public int outputLimit() {
        return outputLimit;
    }

    public Duration grace() {
        return grace;
    }

    public int maxMessageBody() {
        return maxMessageBody;
    }

    public long queueLimit() {
        return queueLimit;
    }

    /** {@code /opt/mlets/test_http_get 127.0.0.1 /} (with {@code (singleton)} in singleton mode). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file.toString());
        args.forEach(a -> sb.append(' ').append(a));
        return singleton ? sb.append(" (singleton)").toString() : sb.toString();
    }
}
