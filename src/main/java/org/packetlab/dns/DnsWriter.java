package org.packetlab.dns;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Encodes a {@link DnsMessage}, compressing names against earlier ones (RFC 1035 §4.1.4). */
final class DnsWriter {

    private static final int MAX_POINTER_TARGET = 0x3FFF;

    private byte[] buf = new byte[512];
    private int size;
    private final Map<String, Integer> nameOffsets = new HashMap<>();

    private DnsWriter() {}

    static byte[] encode(DnsMessage m) {
        DnsWriter w = new DnsWriter();
        w.u16(m.id());
        w.u16(m.flags());
        w.u16(m.questions().size());
        w.u16(m.answers().size());
        w.u16(0);
        w.u16(0);
        for (DnsQuestion q : m.questions()) {
            w.name(q.name());
            w.u16(q.type().value());
            w.u16(q.dnsClass());
        }
        for (DnsRecord r : m.answers()) {
            w.record(r);
        }
        return Arrays.copyOf(w.buf, w.size);
    }

    private void record(DnsRecord r) {
        name(r.name());
        u16(r.type().value());
        u16(r instanceof DnsRecord.Raw raw ? raw.dnsClass() : DnsMessage.CLASS_IN);
        u32(r.ttl());
        int lengthAt = size;
        u16(0);
        switch (r) {
            case DnsRecord.A a -> bytes(a.address().getAddress());
            case DnsRecord.Aaaa a -> bytes(a.address().getAddress());
            case DnsRecord.Cname c -> name(c.target());
            case DnsRecord.Raw raw -> bytes(raw.dataUnsafe());
        }
        int length = size - lengthAt - 2;
        buf[lengthAt] = (byte) (length >>> 8);
        buf[lengthAt + 1] = (byte) length;
    }

    private void name(String name) {
        List<byte[]> labels = DnsNames.parse(name);
        for (int i = 0; i < labels.size(); i++) {
            String suffix = DnsNames.format(labels.subList(i, labels.size()));
            Integer earlier = nameOffsets.get(suffix);
            if (earlier != null) {
                u16(0xC000 | earlier);
                return;
            }
            if (size <= MAX_POINTER_TARGET) {
                nameOffsets.put(suffix, size);
            }
            byte[] label = labels.get(i);
            u8(label.length);
            bytes(label);
        }
        u8(0);
    }

    private void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    private void u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void u32(long v) {
        u16((int) (v >>> 16) & 0xFFFF);
        u16((int) v & 0xFFFF);
    }

    private void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
