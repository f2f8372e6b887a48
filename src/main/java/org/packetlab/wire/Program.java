package org.packetlab.wire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An encoded program: a capture filter ({@code ncap}) or a monitor ({@code cdata}), as a type byte
 * followed by the program (spec/wire-protocol.md §11.1).
 *
 * <pre>
 *   +------+------------------------------------------------------+
 *   | type | eBPF: 8-byte instructions | WASM: module bytes as-is |
 *   +------+------------------------------------------------------+
 *   eBPF instruction: opcode u8, (dst &lt;&lt; 4 | src) u8, offset u16, imm u32 (big-endian)
 * </pre>
 *
 * Its digest, listed in certificates, is SHA-256 over the whole encoding including the type byte.
 */
public record Program(Type type, byte[] code) {

    /** The program type byte. */
    public enum Type {
        EBPF(0x00),
        WASM(0x01);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** One eBPF instruction; {@code offset} is the 16-bit field and {@code imm} the 32-bit field, both unsigned. */
    public record Instruction(int opcode, int dst, int src, int offset, long imm) {
        public Instruction {
            check(opcode, 0xFF, "opcode");
            check(dst, 0xF, "dst");
            check(src, 0xF, "src");
            check(offset, 0xFFFF, "offset");
            if (imm < 0 || imm > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("imm " + imm + " is not in 0..0xffffffff");
            }
        }

        private static void check(int v, int max, String what) {
            if (v < 0 || v > max) {
                throw new IllegalArgumentException(what + " " + v + " is not in 0.." + max);
            }
        }
    }

    public Program {
        Objects.requireNonNull(type, "type");
        code = code.clone();
        if (type == Type.EBPF && code.length % 8 != 0) {
            throw new IllegalArgumentException("eBPF code length " + code.length + " is not a multiple of 8");
        }
    }

    /** A WebAssembly program (the module bytes, copied). */
    public static Program wasm(byte[] module) {
        return new Program(Type.WASM, module);
    }

    /** An eBPF program of the given instructions. */
    public static Program ebpf(List<Instruction> instructions) {
        byte[] code = new byte[instructions.size() * 8];
        int i = 0;
        for (Instruction in : instructions) {
            code[i] = (byte) in.opcode();
            code[i + 1] = (byte) (in.dst() << 4 | in.src());
            code[i + 2] = (byte) (in.offset() >> 8);
            code[i + 3] = (byte) in.offset();
            for (int k = 0; k < 4; k++) {
                code[i + 4 + k] = (byte) (in.imm() >> (24 - 8 * k));
            }
            i += 8;
        }
        return new Program(Type.EBPF, code);
    }

    /**
     * Decodes an encoded program.
     *
     * @throws IllegalArgumentException when empty, of an unknown type, or eBPF of a length not a multiple of 8
     */
    public static Program decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty program");
        }
        Type type = switch (encoded[0]) {
            case 0x00 -> Type.EBPF;
            case 0x01 -> Type.WASM;
            default -> throw new IllegalArgumentException(String.format("unknown program type 0x%02x", encoded[0] & 0xFF));
        };
        return new Program(type, Arrays.copyOfRange(encoded, 1, encoded.length));
    }

    /** Decodes, or returns empty when the bytes are not a valid encoded program. */
    public static Optional<Program> tryDecode(byte[] encoded) {
        if (encoded.length == 0 || (encoded[0] != 0 && encoded[0] != 1)
                || (encoded[0] == 0 && (encoded.length - 1) % 8 != 0)) {
            return Optional.empty();
        }
        return Optional.of(decode(encoded));
    }

    /** A copy of the program bytes after the type byte. */
    @Override
    public byte[] code() {
        return code.clone();
    }

    /** The encoding: the type byte then the code. */
    public byte[] encode() {
        byte[] out = new byte[1 + code.length];
        out[0] = (byte) type.code();
        System.arraycopy(code, 0, out, 1, code.length);
        return out;
    }

    /** SHA-256 of the encoding (type byte included), as certificates list it. */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(encode());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The digest in lower-case hex, the form of a certificate's {@code monitor=} limit. */
    public String digestHex() {
        return HexFormat.of().formatHex(digest());
    }

    /** The eBPF instructions of this program. */
    public List<Instruction> instructions() {
        if (type != Type.EBPF) {
            throw new IllegalStateException("a WASM program has no eBPF instructions");
        }
        List<Instruction> out = new ArrayList<>(code.length / 8);
        for (int i = 0; i < code.length; i += 8) {
            int offset = (code[i + 2] & 0xFF) << 8 | (code[i + 3] & 0xFF);
            long imm = ((long) (code[i + 4] & 0xFF) << 24) | (code[i + 5] & 0xFF) << 16 | (code[i + 6] & 0xFF) << 8 | (code[i + 7] & 0xFF);
            out.add(new Instruction(code[i] & 0xFF, (code[i + 1] >> 4) & 0xF, code[i + 1] & 0xF, offset, imm));
        }
        return List.copyOf(out);
    }

    /**
     * Parses the eBPF text format of spec/wire-protocol.md §11.2: one instruction per line as five
     * unsigned integers {@code opcode dst src offset imm} (decimal, {@code 0x} hex or leading-0
     * octal); empty lines and lines starting with {@code #} or CR are skipped; text after the fifth
     * number is ignored.
     *
     * @throws IllegalArgumentException naming the line when a number is missing, malformed or out of range
     */
    public static Program parseEbpfText(CharSequence text) {
        List<Instruction> out = new ArrayList<>();
        String[] lines = text.toString().split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '\r') {
                continue;
            }
            String[] f = line.strip().split("\\s+");
            if (f.length < 5) {
                throw new IllegalArgumentException("eBPF line " + (n + 1) + ": need 5 numbers, got " + f.length);
            }
            long[] v = new long[5];
            long[] max = {0xFF, 0xF, 0xF, 0xFFFF, 0xFFFFFFFFL};
            for (int k = 0; k < 5; k++) {
                v[k] = parseUnsigned(f[k], n + 1);
                if (v[k] > max[k]) {
                    throw new IllegalArgumentException("eBPF line " + (n + 1) + ": " + f[k] + " is out of range");
                }
            }
            out.add(new Instruction((int) v[0], (int) v[1], (int) v[2], (int) v[3], v[4]));
        }
        return ebpf(out);
    }

    private static long parseUnsigned(String s, int line) {
        try {
            long v;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseUnsignedLong(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = Long.parseUnsignedLong(s.substring(1), 8);
            } else {
                v = Long.parseUnsignedLong(s);
            }
            if (v < 0) {
                throw new NumberFormatException("too large");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("eBPF line " + line + ": \"" + s + "\" is not an unsigned number", e);
        }
    }

    /**
     * Loads a program file as the manager does: {@code .wasm} files verbatim as WASM, {@code .ebpf}
     * files and files without an extension as eBPF text.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException for other extensions or malformed eBPF text
     */
    public static Program load(Path file) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "wasm" -> wasm(Files.readAllBytes(file));
            case "", "ebpf" -> parseEbpfText(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
            default -> throw new IllegalArgumentException(file + ": not a program file (.wasm, .ebpf or no extension)");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Program p && p.type == type && Arrays.equals(p.code, code);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(code);
    }

    @Override
    public String toString() {
        return "Program[" + type + ", " + code.length + " bytes, sha256=" + digestHex() + "]";
    }
}
