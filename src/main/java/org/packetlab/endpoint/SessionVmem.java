package org.packetlab.endpoint;

import org.packetlab.wire.Vmem;

/**
 * The vmem of one session as {@code mread}/{@code mwrite} see it (spec/wire-protocol.md §10): the
 * endpoint's SYSPARAM fields, TIME read at request time, BufMax/BufUsed of the session, and the
 * SKTINFO blocks of its sockets. Every byte outside a mapped field reads as zero, byte-exactly, even
 * when the read starts in a hole (the reference answers all zeros then: §10.4 quirk, not copied).
 * Only the writable SKTINFO fields take writes; the rest is ignored silently, as specified.
 */
final class SessionVmem {
    private final Session session;

    SessionVmem(Session session) {
        this.session = session;
    }

    /** The {@code len} bytes at {@code addr} (the decoder guarantees addr + len &lt;= 2^32 - 1). */
    byte[] read(long addr, int len) {
        byte[] out = new byte[len];
        long end = addr + len;
        if (overlaps(addr, end, Vmem.SYSPARAM, Vmem.SYSPARAM_SIZE)) {
            for (SysParams.Field f : session.settings().params().fields()) {
                Bytes.overlay(out, addr, f.addr(), f.bytes());
            }
            byte[] time = new byte[8];
            Bytes.putU64(time, 0, session.now());
            Bytes.overlay(out, addr, Vmem.SYSPARAM_TIME, time);
            byte[] used = new byte[4];
            Bytes.putU32(used, 0, Math.min(Math.max(session.budget().used(), 0), 0xFFFF_FFFFL));
            Bytes.overlay(out, addr, Vmem.SYSPARAM_BUFUSED, used);
        }
        if (overlaps(addr, end, Vmem.SKTINFO, Vmem.SKTINFO_SIZE)) {
            int first = (int) ((Math.max(addr, Vmem.SKTINFO) - Vmem.SKTINFO) / Vmem.SKTINFO_BLOCK_SIZE);
            int last = (int) ((Math.min(end, Vmem.SKTINFO + Vmem.SKTINFO_SIZE) - 1 - Vmem.SKTINFO) / Vmem.SKTINFO_BLOCK_SIZE);
            for (int sktid = first; sktid <= last; sktid++) {
                MeasurementSocket s = session.sockets().get(sktid);
                if (s != null) {
                    Bytes.overlay(out, addr, Vmem.sktinfo(sktid), s.block());
                }
            }
        }
        return out;
    }

    /** Applies {@code data} at {@code addr} to the writable SKTINFO fields of the sockets it covers. */
    void write(long addr, byte[] data) {
        long end = addr + data.length;
        if (data.length == 0 || !overlaps(addr, end, Vmem.SKTINFO, Vmem.SKTINFO_SIZE)) {
            return;
        }
        int first = (int) ((Math.max(addr, Vmem.SKTINFO) - Vmem.SKTINFO) / Vmem.SKTINFO_BLOCK_SIZE);
        int last = (int) ((Math.min(end, Vmem.SKTINFO + Vmem.SKTINFO_SIZE) - 1 - Vmem.SKTINFO) / Vmem.SKTINFO_BLOCK_SIZE);
        for (int sktid = first; sktid <= last; sktid++) {
            MeasurementSocket s = session.sockets().get(sktid);
            if (s != null) {
                s.write(Vmem.sktinfo(sktid), addr, data);
            }
        }
    }

    private static boolean overlaps(long from, long to, long segment, long size) {
        return from < segment + size && to > segment;
    }
}
