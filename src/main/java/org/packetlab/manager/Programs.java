package org.packetlab.manager;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.packetlab.ppks.Digest;
import org.packetlab.wire.Program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor programs a manager can submit, by digest: loaded once from the program directory
 * (spec/agents.md §A.4.2, spec/wire-protocol.md §11.2) or given directly. Immutable.
 */
final class Programs {
    private static final Logger log = LoggerFactory.getLogger(Programs.class);

    static final Programs NONE = new Programs(Map.of());

    private final Map<Digest, Program> byDigest;

    private Programs(Map<Digest, Program> byDigest) {
        this.byDigest = byDigest;
    }

    static Programs of(Collection<Program> programs) {
        Map<Digest, Program> m = new LinkedHashMap<>();
        for (Program p : programs) {
            m.putIfAbsent(Digest.of(p.digest()), p);
        }
        return new Programs(Collections.unmodifiableMap(m));
    }

    /**
     * Loads every regular file of {@code dir} whose name does not start with '.': {@code .wasm} as
     * WebAssembly, {@code .ebpf} or no extension as eBPF text. Files of other extensions and files
     * that do not parse are skipped with a warning, as the reference does.
     *
     * @throws IOException when the directory cannot be listed
     */
    static Programs load(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(null);
        List<Program> programs = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            if (!ext.isEmpty() && !ext.equals("wasm") && !ext.equals("ebpf")) {
                log.warn("program directory {}: skipping {}: not .wasm, .ebpf or without extension", dir, name);
                continue;
            }
            try {
                Program program = Program.load(p);
                programs.add(program);
                log.debug("program directory {}: {} has digest {}", dir, name, program.digestHex());
            } catch (IOException | IllegalArgumentException e) {
                log.warn("program directory {}: skipping {}: {}", dir, name, e.getMessage());
            }
        }
        return of(programs);
    }

    Optional<Program> get(Digest digest) {
        return Optional.ofNullable(byDigest.get(digest));
    }

    Collection<Program> all() {
        return byDigest.values();
    }

    int size() {
        return byDigest.size();
    }
}
