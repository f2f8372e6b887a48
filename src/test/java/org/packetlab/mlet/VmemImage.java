package org.packetlab.mlet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Result;

/**
 * A sparse picture of endpoint vmem for scripted endpoints: regions put at addresses, zeros
 * elsewhere; answers {@code mread} with {@code mdata} and anything else with success. Test code.
 */
public final class VmemImage {

    private final TreeMap<Long, byte[]> regions = new TreeMap<>();

    /** Puts {@code bytes} at {@code addr}. */
    public synchronized VmemImage put(long addr, byte[] bytes) {
        regions.put(addr, bytes.clone());
        return this;
    }

    /** The bytes at {@code addr}..{@code addr+len}, zeros where nothing was put. */
    public synchronized byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        Map.Entry<Long, byte[]> floor = regions.floorEntry(addr);
        for (Map.Entry<Long, byte[]> e : (floor == null ? regions : regions.tailMap(floor.getKey(), true)).entrySet()) {
            long start = e.getKey();
            if (start >= addr + len) {
                break;
            }
            byte[] b = e.getValue();
            for (int i = 0; i < b.length; i++) {
                long a = start + i;
                if (a >= addr && a < addr + len) {
                    out[(int) (a - addr)] = b[i];
                }
            }
        }
        return out;
    }

    /** A script answering {@code mread} from this image and everything else with success. */
    public List<Message> answer(Message request) {
        return request instanceof Mread r ? List.of(Mdata.of(r.addr(), read(r.addr(), r.len()))) : List.of(Result.ok());
    }
}
