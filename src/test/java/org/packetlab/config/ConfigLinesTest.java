package org.packetlab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ConfigLinesTest {
    private static final Path FILE = Path.of("/etc/test.conf");

    private static ConfigLines.Result split(String text) throws ConfigException {
        return ConfigLines.split(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keyEndsAtFirstBlankAndValueKeepsTrailingBlanks() throws Exception {
        List<ConfigLines.Line> lines = split("Key \t  some value # not a comment  \nBare\n").lines();
        assertThat(lines).containsExactly(
                new ConfigLines.Line(1, "Key", "some value # not a comment  "),
                new ConfigLines.Line(2, "Bare", ""));
    }

    @Test
    void commentsAndEmptyLinesAreSkippedButCounted() throws Exception {
        List<ConfigLines.Line> lines = split("# comment\n\n  #indented is not a comment\nA 1\n").lines();
        assertThat(lines).containsExactly(
                new ConfigLines.Line(3, "", "#indented is not a comment"),
                new ConfigLines.Line(4, "A", "1"));
    }

    @Test
    void lastLineWithoutNewlineIsRead() throws Exception {
        assertThat(split("A 1\nB 2").lines()).containsExactly(
                new ConfigLines.Line(1, "A", "1"), new ConfigLines.Line(2, "B", "2"));
    }

    @Test
    void crlfLineEndsAreStrippedUnlikeTheReference() throws Exception {
        assertThat(split("A 1\r\nB 2\r\n\r\nC 3\r").lines()).containsExactly(
                new ConfigLines.Line(1, "A", "1"), new ConfigLines.Line(2, "B", "2"), new ConfigLines.Line(4, "C", "3"));
    }

    @Test
    void onlyOneCarriageReturnEndingAPhysicalLineIsStripped() throws Exception {
        assertThat(split("A 1\r\r\nB x\ry\n").lines()).containsExactly(
                new ConfigLines.Line(1, "A", "1\r"), new ConfigLines.Line(2, "B", "x\ry"));
    }

    @Test
    void lineOf4095BytesPlusNewlineIsCutIntoTwoNumberedLinesWithAWarning() throws Exception {
        String value = "v".repeat(4095 - 2);
        ConfigLines.Result r = split("K " + value + "\nNext 1\n");
        // chunk 1 = the 4095 content bytes, chunk 2 = the lone newline (an empty, skipped line)
        assertThat(r.lines()).containsExactly(new ConfigLines.Line(1, "K", value), new ConfigLines.Line(3, "Next", "1"));
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(1);
            assertThat(w.problem()).contains("longer than 4095 bytes");
        });
    }

    @Test
    void lineOf4094BytesPlusNewlineIsOneLine() throws Exception {
        String value = "v".repeat(4094 - 2);
        ConfigLines.Result r = split("K " + value + "\nNext 1\n");
        assertThat(r.lines()).containsExactly(new ConfigLines.Line(1, "K", value), new ConfigLines.Line(2, "Next", "1"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void veryLongLineBecomesSeveralLogicalLinesAsInTheReference() throws Exception {
        String text = "K " + "a".repeat(4093) + "Tail " + "b".repeat(10) + "\nNext 1\n";
        ConfigLines.Result r = split(text);
        assertThat(r.lines()).extracting(ConfigLines.Line::number, ConfigLines.Line::key)
                .containsExactly(tuple(1, "K"), tuple(2, "Tail"),
                        tuple(3, "Next"));
        assertThat(r.lines().get(1).value()).isEqualTo("b".repeat(10));
    }

    @Test
    void nulByteIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> split("A 1\nB x\0y\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/test.conf:2: line contains a NUL byte");
    }

    @Test
    void invalidUtf8IsAnErrorNamingTheLine() {
        byte[] bytes = {'A', ' ', '1', '\n', 'B', ' ', (byte) 0xff, '\n'};
        assertThatThrownBy(() -> ConfigLines.split(FILE, bytes))
                .isInstanceOf(ConfigException.class)
                .hasMessage("/etc/test.conf:2: line is not valid UTF-8 text");
    }

    @Test
    void missingFileIsAConfigExceptionNamingTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigLines.read(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": cannot read the configuration file");
    }
}
