package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmOptionsTest {

    @TempDir
    Path jdk;

    @Test
    void unsafeOptionOnlyFromJava23() {
        assertThat(JvmOptions.forFeature(21)).containsExactly(JvmOptions.NATIVE_ACCESS);
        assertThat(JvmOptions.forFeature(22)).containsExactly(JvmOptions.NATIVE_ACCESS);
        assertThat(JvmOptions.forFeature(23)).containsExactly(JvmOptions.NATIVE_ACCESS, JvmOptions.UNSAFE_MEMORY_ACCESS);
        assertThat(JvmOptions.forFeature(25)).containsExactly(JvmOptions.NATIVE_ACCESS, JvmOptions.UNSAFE_MEMORY_ACCESS);
    }

    @Test
    void jdkVersionComesFromItsReleaseFile() throws Exception {
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"21.0.5\"\n");
        assertThat(JvmOptions.forJdk(jdk)).containsExactly(JvmOptions.NATIVE_ACCESS);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.3\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n");
        assertThat(JvmOptions.forJdk(jdk)).containsExactly(JvmOptions.NATIVE_ACCESS, JvmOptions.UNSAFE_MEMORY_ACCESS);
    }

    @Test
    void unreadableReleaseFileGivesOnlyOptionsEveryJava21Accepts() throws Exception {
        assertThat(JvmOptions.forJdk(jdk.resolve("missing"))).containsExactly(JvmOptions.NATIVE_ACCESS);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"unknown\"\n");
        assertThat(JvmOptions.forJdk(jdk)).containsExactly(JvmOptions.NATIVE_ACCESS);
    }

    @Test
    void aotCacheOptionsOnlyFromJava25() {
        Path cache = jdk.resolve("pktlab.aot");
        assertThat(JvmOptions.aotCache(24, cache)).isEmpty();
        assertThat(JvmOptions.aotCache(25, cache)).containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot*=off");
    }

    @Test
    void thisTestJvmRunsWithTheOptionsItsRuntimeGets() {
        // surefire's argLine (pom.xml, jdk23 profile) must give the test JVM what the launcher gives
        assertThat(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments())
                .containsAll(JvmOptions.forThisRuntime());
    }
}
