package org.packetlab.mlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MletLoaderTest {

    /** An mlet taking its words through a constructor. */
    public static final class Echo implements Mlet<String> {
        private final String[] words;

        public Echo(String[] words) {
            this.words = words;
        }

        @Override
        public String run(EndpointSession ep) {
            return String.join("+", words);
        }
    }

    /** An mlet with only a no-argument constructor. */
    public static final class Quiet implements Mlet<String> {
        @Override
        public String run(EndpointSession ep) {
            return "quiet";
        }
    }

    /** A factory that refuses its words. */
    public static final class Picky {
        public static Mlet<String> fromArgs(String... args) {
            if (args.length != 1) {
                throw new IllegalArgumentException("usage: Picky WORD");
            }
            return ep -> args[0];
        }
    }

    @Test
    void examplesAreFoundByTheirSimpleNameOrFileAndMadeFromTheirWords() throws Exception {
        Mlet<?> byName = Mlet.load("HttpGet", "127.0.0.1", "/index.html");
        Mlet<?> byFile = Mlet.load("example-mlets/org/packetlab/examples/HttpGet.java", "127.0.0.1");
        Mlet<?> byClass = Mlet.load("org.packetlab.examples.VmemDump");
        assertThat(byName.getClass().getName()).isEqualTo("org.packetlab.examples.HttpGet");
        assertThat(byFile.getClass().getName()).isEqualTo("org.packetlab.examples.HttpGet");
        assertThat(byClass.getClass().getName()).isEqualTo("org.packetlab.examples.VmemDump");
    }

    @Test
    void constructorsTakeTheWords() throws Exception {
        assertThat(Mlet.load(Echo.class.getName(), "a", "b").run(null)).isEqualTo("a+b");
        assertThat(Mlet.load(Quiet.class.getName()).run(null)).isEqualTo("quiet");
        assertThat(Mlet.load(Picky.class.getName(), "w").run(null)).isEqualTo("w");
    }

    @Test
    void refusalsNameTheProblem() {
        assertThatThrownBy(() -> Mlet.load("NoSuchMlet")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("org.packetlab.examples.NoSuchMlet");
        assertThatThrownBy(() -> Mlet.load(Quiet.class.getName(), "x")).hasMessageContaining("takes no words");
        assertThatThrownBy(() -> Mlet.load(Picky.class.getName())).hasMessageContaining("usage: Picky WORD");
        assertThatThrownBy(() -> Mlet.load(String.class.getName())).hasMessageContaining("is not an mlet");
        assertThatThrownBy(() -> Mlet.load("VmemDump", "extra")).hasMessageContaining("usage: VmemDump");
    }
}
