package org.packetlab.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.ppks.Digest;
import org.packetlab.wire.Program;

@Timeout(10)
class ProgramsTest {

    static final byte[] WASM = {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0};

    @Test
    void loadsWasmEbpfAndExtensionlessFilesAndSkipsTheRest(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("pass_all_monitor.wasm"), WASM);
        Files.writeString(dir.resolve("ret.ebpf"), "# return 0\n0x95 0 0 0 0\n");
        Files.writeString(dir.resolve("plain"), "183 1 0 0 7\n149 0 0 0 0 trailing words\n");
        Files.writeString(dir.resolve("notes.txt"), "0x95 0 0 0 0\n");
        Files.writeString(dir.resolve(".hidden.ebpf"), "0x95 0 0 0 0\n");
        Files.writeString(dir.resolve("broken.ebpf"), "0x95 0 0\n");
        Files.createDirectory(dir.resolve("sub.wasm"));

        Programs p = Programs.load(dir);

        Program wasm = Program.wasm(WASM);
        Program ret = Program.ebpf(List.of(new Program.Instruction(0x95, 0, 0, 0, 0)));
        Program plain = Program.ebpf(List.of(new Program.Instruction(183, 1, 0, 0, 7), new Program.Instruction(149, 0, 0, 0, 0)));
        assertThat(p.all()).containsExactlyInAnyOrder(wasm, ret, plain);
        assertThat(p.get(Digest.of(wasm.digest()))).contains(wasm);
        assertThat(p.get(Digest.of(plain.digest()))).contains(plain);
    }

    @Test
    void digestIsTheSha256OfTheEncodedProgramTypeByteIncluded() {
        Program wasm = Program.wasm(WASM);
        Programs p = Programs.of(List.of(wasm, wasm));
        assertThat(p.size()).isEqualTo(1);
        assertThat(p.get(Digest.sha256(wasm.encode()))).contains(wasm);
    }

    @Test
    void missingDirectoryFails(@TempDir Path dir) {
        assertThatThrownBy(() -> Programs.load(dir.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
    }
}
