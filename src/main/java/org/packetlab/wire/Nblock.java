package org.packetlab.wire;

/**
 * The notification {@code nblock} (0x64): received data was blocked by a monitor
 * (spec/wire-protocol.md §5.16). The monitor index is not transmitted.
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 | monerrid u16 | time u64 |    13 bytes
 * </pre>
 */
public record Nblock(int sktid, int family, int proto, int monerrid, long time) implements Notification, SocketMessage {

    public Nblock {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.u8(proto, "proto");
        Check.u16(monerrid, "monerrid");
    }

    /** Data on a socket of {@code family}/{@code proto} blocked with the monitor's error value. */
    public static Nblock of(int sktid, Family family, Proto proto, int monerrid, long time) {
        return new Nblock(sktid, family.code(), proto.code(), monerrid, time);
    }

    @Override
    public MessageType type() {
        return MessageType.NBLOCK;
    }
}
