package org.packetlab.notebook;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.packetlab.config.JvmOptions;

/**
 * The kernelspec of "PacketLab (Java)": the folder Jupyter finds under {@code kernels/NAME}, with
 * {@code kernel.json} (the JVM command that starts {@link KernelMain}) and the logos. Filled in
 * from the template in the repository's {@code kernel/} folder.
 *
 * @param java the {@code java} executable the kernel runs with
 * @param classPath the kernel's class path: the product and its libraries
 * @param homeDir the PacketLab installation (the repository), passed as {@code pktlab.home.dir}
 * @param jvmOptions the JVM's options before the template's own ({@link JvmOptions})
 */
public record KernelSpec(Path java, String classPath, Path homeDir, List<String> jvmOptions) {

    /** The kernelspec name a notebook's metadata names. */
    public static final String DEFAULT_NAME = "pktlab";
    /** The name the notebook front ends show. */
    public static final String DISPLAY_NAME = "PacketLab (Java)";

    private static final String TEMPLATE = "kernelspec/kernel.json";
    /** The ahead-of-time cache the {@code pktlab} launcher keeps under {@code target/} on Java 25. */
    private static final String AOT_CACHE = "pktlab.aot";
    private static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png");

    public KernelSpec {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(homeDir, "homeDir");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** A kernelspec whose JVM gets the options of {@link JvmOptions} for the JDK of {@code java}. */
    public KernelSpec(Path java, String classPath, Path homeDir) {
        this(java, classPath, homeDir, JvmOptions.forJdk(jdkOf(java)));
    }

    /**
     * The kernelspec of the installation at {@code homeDir}: its {@code target/pktlab.jar} and
     * {@code target/lib/*}, run by the JDK of {@code JAVA_HOME} (else the running one), starting
     * from the launcher's ahead-of-time cache when there is one (made with the kernel's module
     * options; the JVM skips it silently once a rebuild has made it stale).
     *
     * @throws IllegalStateException when the jar is not built
     */
    public static KernelSpec forInstallation(Path homeDir) {
        Path home = homeDir.toAbsolutePath().normalize();
        Path jar = home.resolve("target").resolve("pktlab.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it first (./pktlab --help builds it)");
        }
        String javaHome = System.getenv("JAVA_HOME");
        Path jdk = javaHome != null && !javaHome.isBlank() ? Path.of(javaHome) : Path.of(System.getProperty("java.home"));
        List<String> jvm = new ArrayList<>(JvmOptions.forJdk(jdk));
        Path aot = home.resolve("target").resolve(AOT_CACHE);
        if (Files.isRegularFile(aot)) {
            // only when it exists: a JVM told of a missing cache gives up the JDK's own class-data archive too
            jvm.addAll(JvmOptions.aotCache(JvmOptions.featureOf(jdk), aot));
        }
        return new KernelSpec(jdk.resolve("bin").resolve("java"),
                jar + File.pathSeparator + home.resolve("target").resolve("lib") + File.separator + "*",
                home, jvm);
    }

    private static Path jdkOf(Path java) {
        return java.toAbsolutePath().getParent().getParent();
    }

    /** The {@code kernel.json} text. */
    public String json() {
        // one argv line per option in place of the placeholder's line (none: the line goes)
        String options = jvmOptions.stream().map(o -> "    \"" + jsonEscape(o) + "\",\n").collect(Collectors.joining());
        return template()
                .replace("    \"@JVM_OPTIONS@\",\n", options)
                .replace("@JAVA@", jsonEscape(java.toString()))
                .replace("@CLASS_PATH@", jsonEscape(classPath))
                .replace("@PKTLAB_HOME@", jsonEscape(homeDir.toString()));
    }

    /** Writes the kernelspec folder {@code dir} ({@code kernel.json} and logos) and returns it. */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), json(), StandardCharsets.UTF_8);
        for (String logo : LOGOS) {
            try (InputStream in = resource("kernelspec/" + logo)) {
                Files.write(dir.resolve(logo), in.readAllBytes());
            }
        }
        return dir;
    }

    private static String template() {
        try (InputStream in = resource(TEMPLATE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernelspec template " + TEMPLATE, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = KernelSpec.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("kernelspec resource " + name + " is missing from the build");
        }
        return in;
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
