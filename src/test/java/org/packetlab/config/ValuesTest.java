package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ValuesTest {
    @TempDir
    Path dir;

    private Option.Context context() {
        return new Option.Context() {
            @Override
            public Path workingDirectory() {
                return dir;
            }

            @Override
            public void warn(String problem) {
                throw new AssertionError("unexpected warning: " + problem);
            }
        };
    }

    @Test
    void boolAcceptsExactlyZeroAndOne() throws Exception {
        assertThat(Values.bool("0")).isFalse();
        assertThat(Values.bool("1")).isTrue();
        for (String bad : List.of("", "01", "1 ", "true", "2", "-1")) {
            assertThatThrownBy(() -> Values.bool(bad)).hasMessage("must be 0 or 1");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0",
            "42|42",
            "+42|42",
            "007|7",
            "18446744073709551615|18446744073709551615",
            "-1|18446744073709551615",
            "-18446744073709551615|1",
            "-0|0",
    })
    void u64FollowsStrtoull(String text, String expected) throws Exception {
        assertThat(Long.toUnsignedString(Values.u64(text))).isEqualTo(expected);
    }

    @Test
    void u64SkipsLeadingCWhiteSpace() throws Exception {
        assertThat(Values.u64("\u000b\f 5")).isEqualTo(5);
    }

    @Test
    void u64RejectsOverflowGarbageAndTrailingBlanks() {
        assertThatThrownBy(() -> Values.u64("18446744073709551616")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Values.u64("-18446744073709551616")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Values.u64("12a")).hasMessage("unexpected text after the number");
        assertThatThrownBy(() -> Values.u64("12 ")).hasMessage("unexpected text after the number");
        assertThatThrownBy(() -> Values.u64("0x10")).hasMessage("unexpected text after the number");
        assertThatThrownBy(() -> Values.u64("-")).hasMessage("not an unsigned decimal number");
        assertThatThrownBy(() -> Values.u64("abc")).hasMessage("not an unsigned decimal number");
    }

    @Test
    void nanosecondsBecomeDurationsEvenBeyondSignedRange() throws Exception {
        assertThat(Values.nanos("31536000000000000")).isEqualTo(Duration.ofDays(365));
        Duration max = Values.nanos("-1");
        assertThat(max).isEqualTo(Duration.ofSeconds(18446744073L, 709551615));
        assertThat(Long.toUnsignedString(Values.toUnsigned("t", max, 1))).isEqualTo("18446744073709551615");
    }

    @Test
    void durationsThatAreNotWholeUnitsOrTooLongAreRefused() {
        assertThatThrownBy(() -> Values.toUnsigned("MonitorDeadlineMillsec", Duration.ofNanos(1500), 1_000_000))
                .hasMessageContaining("not a whole number of milliseconds");
        assertThatThrownBy(() -> Values.toUnsigned("PubPeriod", Duration.ofSeconds(18446744074L), 1))
                .hasMessageContaining("more than 2^64-1 nanoseconds");
        assertThatThrownBy(() -> Values.toUnsigned("PubPeriod", Duration.ofSeconds(-1), 1)).hasMessage("PubPeriod < 0");
    }

    @Test
    void pathIsARegularFileRelativeToTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("k"), "x");
        Files.createDirectory(dir.resolve("d"));
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("k"));
        assertThat(Values.path("k", context())).isEqualTo(dir.resolve("k"));
        assertThat(Values.path("link", context())).isEqualTo(dir.resolve("link"));
        assertThat(Values.path(dir.resolve("k").toString(), context())).isEqualTo(dir.resolve("k"));
        assertThatThrownBy(() -> Values.path("d", context())).hasMessage(dir.resolve("d") + " is not a regular file");
        assertThatThrownBy(() -> Values.path("missing", context()))
                .hasMessage("file " + dir.resolve("missing") + " does not exist");
        assertThatThrownBy(() -> Values.path("k ", context())).hasMessageContaining("does not exist");
    }

    @Test
    void pathListRejectsEmptyItems() throws Exception {
        Files.writeString(dir.resolve("a"), "x");
        Files.writeString(dir.resolve("b"), "x");
        assertThat(Values.pathList("a,b", context())).containsExactly(dir.resolve("a"), dir.resolve("b"));
        for (String bad : List.of("a,,b", "a,", ",a")) {
            assertThatThrownBy(() -> Values.pathList(bad, context())).hasMessage("empty item in path list");
        }
    }

    @Test
    void dirDropsOneTrailingSlash() throws Exception {
        Files.createDirectory(dir.resolve("progs"));
        assertThat(Values.dir("progs/", context())).isEqualTo(dir.resolve("progs"));
        assertThat(Values.dir("/", context())).isEqualTo(Path.of("/"));
        Files.writeString(dir.resolve("f"), "x");
        assertThatThrownBy(() -> Values.dir("f", context())).hasMessageContaining("does not exist");
    }

    @Test
    void hexListItemsAreEmptyOrEvenHexUpTo32Bytes() throws Exception {
        assertThat(Values.hexList(",7075626C6963")).containsExactly(ChannelItem.DERIVED, new ChannelItem("7075626c6963"));
        assertThat(Values.hexList("")).containsExactly(ChannelItem.DERIVED);
        assertThat(Values.hexList("ab".repeat(32)).get(0).isPrivate()).isTrue();
        assertThatThrownBy(() -> Values.hexList("abc")).hasMessageContaining("odd number of hex digits");
        assertThatThrownBy(() -> Values.hexList("0x10")).hasMessageContaining("not hex digits");
        assertThatThrownBy(() -> Values.hexList("ab".repeat(33))).hasMessageContaining("longer than 32 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1:20556", "[::1]:0", "localhost:1"})
    void addressesResolveAtParseTime(String text) throws Exception {
        assertThat(Values.address(text)).isEqualTo(AgentAddress.parse(text));
    }

    @Test
    void unresolvableAddressIsAnError() {
        // a 4-character host with a port reads as an IPv6 literal (agents.md §A.1): refused without any lookup
        assertThatThrownBy(() -> Values.address("host:20556")).hasMessage("cannot resolve host \"host:20556\"");
        assertThatThrownBy(() -> Values.address("[::1]")).hasMessageContaining("needs \":PORT\"");
    }

    @Test
    void writableRefusesWhatALineCannotCarry() {
        assertThat(Values.writable("K", "a\tb ")).isEqualTo("a\tb ");
        assertThatThrownBy(() -> Values.writable("K", " a")).hasMessageContaining("starts with a blank");
        assertThatThrownBy(() -> Values.writable("K", "a\nb")).hasMessageContaining("control character");
    }
}
