package org.packetlab.wire;

/**
 * The notification {@code ndrop} (0x63): received data was dropped (spec/wire-protocol.md §5.15).
 * Never sent by the 1.1.0 endpoint, which keeps drop counters in vmem only.
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | tfirst u64 | tlast u64 | unitcnt u32 | bytecnt u32 |    27 bytes
 * </pre>
 */
public record Ndrop(int sktid, int family, int proto, long tfirst, long tlast, long unitcnt, long bytecnt)
        implements Notification, SocketMessage {

    public Ndrop {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.u8(proto, "proto");
        Check.u32(unitcnt, "unitcnt");
        Check.u32(bytecnt, "bytecnt");
    }

    @Override
    public MessageType type() {
        return MessageType.NDROP;
    }
}
