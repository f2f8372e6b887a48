package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.notebook.JupyterTool;
import picocli.CommandLine;

/** {@code pktlab kernel spec|install}: the kernelspec Jupyter starts the kernel from. */
@Timeout(60)
class KernelCommandTest {

    @TempDir
    Path home;
    @TempDir
    Path out;

    private String previousHome;

    @BeforeEach
    void installationWithABuiltJar() throws Exception {
        // the layout ./pktlab builds: target/pktlab.jar and target/lib/
        Files.createDirectories(home.resolve("target/lib"));
        Files.writeString(home.resolve("target/pktlab.jar"), "");
        previousHome = System.getProperty("pktlab.home.dir");
        System.setProperty("pktlab.home.dir", home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("pktlab.home.dir");
        } else {
            System.setProperty("pktlab.home.dir", previousHome);
        }
    }

    @Test
    void specWritesKernelJsonThatStartsKernelMainWithTheInstallationsJarAndLibs() throws Exception {
        Path dir = out.resolve("kernels/pktlab");
        assertThat(run("kernel", "spec", "--dir", dir.toString())).isZero();

        JsonNode spec = new ObjectMapper().readTree(dir.resolve("kernel.json").toFile());
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        assertThat(argv.get(0)).endsWith("/bin/java");
        assertThat(Path.of(argv.get(0))).isExecutable();
        assertThat(argv).containsSubsequence("--add-opens", "jdk.jshell/jdk.jshell=ALL-UNNAMED");
        // the kernel JVM runs with the same options as the launcher's: this JDK (25) gets Unsafe for Netty
        assertThat(argv.subList(1, 3)).containsExactly("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
        assertThat(argv).as("no ahead-of-time cache in this installation").noneMatch(a -> a.startsWith("-XX:AOTCache"));
        assertThat(argv).contains("-Dpktlab.home.dir=" + home.toAbsolutePath().normalize());
        assertThat(argv).containsSubsequence("-cp", home.resolve("target/pktlab.jar").toAbsolutePath().normalize() + ":"
                + home.resolve("target/lib").toAbsolutePath().normalize() + "/*");
        assertThat(argv.subList(argv.size() - 2, argv.size()))
                .containsExactly("org.packetlab.notebook.KernelMain", "{connection_file}");
        assertThat(spec.get("display_name").asText()).isEqualTo("PacketLab (Java)");
        assertThat(spec.get("language").asText()).isEqualTo("java");
        assertThat(spec.get("interrupt_mode").asText()).isEqualTo("message");
        assertThat(dir.resolve("logo-64x64.png")).isNotEmptyFile();
    }

    @Test
    void specStartsFromTheLaunchersAheadOfTimeCacheWhenTheInstallationHasOne() throws Exception {
        Path aot = Files.writeString(home.resolve("target/pktlab.aot"), "made by ./pktlab");
        Path dir = out.resolve("kernels/pktlab");
        assertThat(run("kernel", "spec", "--dir", dir.toString())).isZero();

        List<String> argv = new ArrayList<>();
        new ObjectMapper().readTree(dir.resolve("kernel.json").toFile()).get("argv").forEach(a -> argv.add(a.asText()));
        // this test runs on Java 25, where the launcher makes the cache
        assertThat(argv.subList(1, 5)).containsExactly("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:AOTCache=" + aot.toAbsolutePath().normalize(), "-Xlog:aot*=off");
        assertThat(argv.get(5)).isEqualTo("--add-opens");
    }

    @Test
    void installUnderAPrefixIsListedByJupyter() throws Exception {
        assertThat(run("kernel", "install", "--prefix", out.toString(), "--name", "pktlab-test")).isZero();
        Path installed = out.resolve("share/jupyter/kernels/pktlab-test/kernel.json");
        assertThat(installed).isNotEmptyFile();

        JupyterTool.Result listed = JupyterTool.run(out.resolve("share/jupyter"), 30, "kernelspec", "list", "--json");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        JsonNode spec = new ObjectMapper().readTree(listed.stdout()).get("kernelspecs").get("pktlab-test");
        assertThat(spec).as(listed.output()).isNotNull();
        assertThat(spec.get("spec").get("display_name").asText()).isEqualTo("PacketLab (Java)");
    }

    @Test
    void badKernelNameIsOneLineAndExitOne() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("kernel", "install", "--prefix", out.toString(), "--name", "bad name")).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("pktlab kernel install: kernel name 'bad name' may only have letters, digits, '.', '_' and '-'");
    }

    private static int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }
}
