package org.packetlab.extmlet;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The C test mlets of {@code src/test/c}, compiled with the machine's gcc into
 * {@code target/test-mlets} on first use. Without gcc every test using them fails with one line
 * saying so (they are never skipped). Public for the manager's and the command line's tests.
 */
public final class TestMlets {
    private TestMlets() {}

    private static final Path SOURCES = Path.of("src/test/c");
    private static final Path OUT = Path.of("target/test-mlets");

    /** The executable of {@code src/test/c/NAME.c}, compiled if it is missing or older than its sources. */
    public static synchronized Path path(String name) {
        Path source = SOURCES.resolve(name + ".c");
        Path exe = OUT.resolve(name).toAbsolutePath();
        try {
            if (!Files.exists(source)) {
                throw new IllegalArgumentException("no test mlet source " + source);
            }
            if (Files.exists(exe) && Files.getLastModifiedTime(exe).compareTo(newestSource(source)) > 0) {
                return exe;
            }
            Path gcc = gcc().orElseThrow(() -> new AssertionError(
                    "gcc is not installed: the external mlet tests compile their C mlets with it (apt-get install gcc)"));
            Files.createDirectories(OUT);
            Path tmp = Files.createTempFile(OUT, name, ".tmp");
            Process p = new ProcessBuilder(gcc.toString(), "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-D_DEFAULT_SOURCE",
                    "-Wall", "-Wextra", "-Werror", "-O1", "-I", SOURCES.toString(), "-o", tmp.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("gcc could not compile " + source + ":\n" + out);
            }
            return Files.move(tmp, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AssertionError("cannot build test mlet " + name + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while compiling " + name, e);
        }
    }

    private static java.nio.file.attribute.FileTime newestSource(Path source) throws IOException {
        java.nio.file.attribute.FileTime newest = Files.getLastModifiedTime(source);
        java.nio.file.attribute.FileTime header = Files.getLastModifiedTime(SOURCES.resolve("pktlab_link.h"));
        return header.compareTo(newest) > 0 ? header : newest;
    }

    private static Optional<Path> gcc() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "gcc")).filter(Files::isExecutable).findFirst();
    }

    /** The whole of a test resource. */
    public static byte[] resource(String name) {
        try (var in = TestMlets.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + name, e);
        }
    }

    /** An ExternalMlet of test mlet {@code name} with a short grace period. */
    public static ExternalMlet mlet(String name, String... args) {
        return ExternalMlet.of(path(name), List.of(args)).grace(java.time.Duration.ofMillis(300));
    }
}
