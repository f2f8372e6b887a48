package org.packetlab.wire;

/** The request {@code nclose} (0x2B): close socket {@code sktid} (spec/wire-protocol.md §5.8). */
public record Nclose(int sktid) implements Request, SocketMessage {

    public Nclose {
        Check.u8(sktid, "sktid");
    }

    /** Closes socket {@code sktid}. */
    public static Nclose of(int sktid) {
        return new Nclose(sktid);
    }

    @Override
    public MessageType type() {
        return MessageType.NCLOSE;
    }
}
