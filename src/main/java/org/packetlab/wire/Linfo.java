package org.packetlab.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The notification {@code linfo} (0x65): log output of a monitor's initialisation, sent right after
 * the {@code result} of {@code start} (spec/wire-protocol.md §5.17). The manager swallows it.
 *
 * <pre>
 *   | namelen u32 | auxlen u32 | infolen u32 | name | aux | info |
 * </pre>
 *
 * @param name the name as sent, one char per byte (ISO-8859-1); "monitor" from the 1.1.0 endpoint
 * @param aux  auxiliary bytes; for "monitor", the 16-bit monitor index in little-endian order
 * @param info the monitor's initialisation output
 */
public record Linfo(String name, byte[] aux, byte[] info) implements Notification {

    public Linfo {
        Check.nonNull(name, "name");
        if (!StandardCharsets.ISO_8859_1.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("linfo name must be ISO-8859-1");
        }
        aux = Check.copy(aux);
        info = Check.adopt(info);
        Check.body(12L + name.length() + aux.length + info.length, "linfo");
    }

    /** The endpoint's report of monitor {@code index}'s initialisation output. */
    public static Linfo monitor(int index, byte[] info) {
        Check.u16(index, "index");
        return new Linfo("monitor", new byte[] {(byte) index, (byte) (index >> 8)}, info);
    }

    /** The monitor index of a "monitor" linfo (aux read as a little-endian u16). */
    public OptionalInt monitorIndex() {
        return name.equals("monitor") && aux.length == 2 ? OptionalInt.of((aux[0] & 0xFF) | (aux[1] & 0xFF) << 8) : OptionalInt.empty();
    }

    /** A copy of the auxiliary bytes. */
    @Override
    public byte[] aux() {
        return aux.clone();
    }

    /** A copy of the info bytes. */
    @Override
    public byte[] info() {
        return info.clone();
    }

    byte[] auxUnsafe() {
        return aux;
    }

    byte[] infoUnsafe() {
        return info;
    }

    @Override
    public MessageType type() {
        return MessageType.LINFO;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Linfo l && l.name.equals(name) && Arrays.equals(l.aux, aux) && Arrays.equals(l.info, info);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(aux), Arrays.hashCode(info));
    }

    @Override
    public String toString() {
        return "Linfo[name=" + name + ", aux=" + Check.hex(aux) + ", info=" + Check.hex(info) + "]";
    }
}
