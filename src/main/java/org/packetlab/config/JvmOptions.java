package org.packetlab.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options every PacketLab JVM starts with: the launcher's, the notebook kernel's and the
 * benchmark's child JVMs (the same list is spelled out in {@code scripts/java-env.sh} and the
 * surefire configuration of {@code pom.xml}).
 */
public final class JvmOptions {

    /** JNA (external mlets) calls native code; without this, Java 24+ warns at the first call. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /**
     * Lets Netty use {@code sun.misc.Unsafe}, which it avoids by default from Java 25 on
     * ({@code io.netty.noUnsafe}): its direct-buffer copies then go through memory segments and a
     * bulk download through the lab runs at about two thirds of the speed (docs/performance.md).
     * Java 23 introduced the option; older runtimes refuse to start with it.
     */
    public static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=allow";

    private static final int FIRST_WITH_UNSAFE_OPTION = 23;
    private static final int FIRST_WITH_AOT_CACHE_OUTPUT = 25;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private JvmOptions() {}

    /** The options for a JVM of feature release {@code feature} (21, 25, ...). */
    public static List<String> forFeature(int feature) {
        return feature >= FIRST_WITH_UNSAFE_OPTION ? List.of(NATIVE_ACCESS, UNSAFE_MEMORY_ACCESS) : List.of(NATIVE_ACCESS);
    }

    /**
     * The options that let a JVM of feature release {@code feature} start from the launcher's
     * ahead-of-time cache {@code cache} (the {@code pktlab} script makes it once per build, on Java
     * 25): none before 25. The JVM skips a missing or stale cache; its messages about that are
     * turned off, since the cache only makes start-up faster.
     */
    public static List<String> aotCache(int feature, Path cache) {
        return feature >= FIRST_WITH_AOT_CACHE_OUTPUT ? List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off") : List.of();
    }

    /** The feature release of the JDK at {@code javaHome} from its {@code release} file; 0 when it cannot be read. */
    public static int featureOf(Path javaHome) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** The options for a JVM like the running one. */
    public static List<String> forThisRuntime() {
        return forFeature(Runtime.version().feature());
    }

    /**
     * The options for the JDK installed at {@code javaHome}, whose {@code release} file names its
     * version; when that file is missing or unreadable, only the options every Java 21+ accepts.
     */
    public static List<String> forJdk(Path javaHome) {
        return forFeature(featureOf(javaHome));
    }
}
