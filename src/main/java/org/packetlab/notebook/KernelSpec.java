package org.packetlab.notebook;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public record KernelSpec(Path java, String classPath, Path homeDir) {

    /** The kernelspec name a notebook's metadata names. */
    public static final String DEFAULT_NAME = "pktlab";
    /** The name the notebook front ends show. */
    public static final String DISPLAY_NAME = "PacketLab (Java)";

    private static final String TEMPLATE = "kernelspec/kernel.json";
    private static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png");

    public KernelSpec {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        Objects.requireNonNull(homeDir, "homeDir");
    }

    /**
     * The kernelspec of the installation at {@code homeDir}: its {@code target/pktlab.jar} and
     * {@code target/lib/*}, run by the JDK of {@code JAVA_HOME} (else the running one).
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
        return new KernelSpec(jdk.resolve("bin").resolve("java"),
                jar + File.pathSeparator + home.resolve("target").resolve("lib") + File.separator + "*",
                home);
    }

    /** The {@code kernel.json} text; the JVM options are those of {@link JvmOptions} for the JDK of {@code java}. */
    public String json() {
        Path jdk = java.toAbsolutePath().getParent().getParent();
        String options = JvmOptions.forJdk(jdk).stream().map(o -> jsonEscape(o)).collect(Collectors.joining("\", \""));
        return template()
                .replace("@JVM_OPTIONS@", options)
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
