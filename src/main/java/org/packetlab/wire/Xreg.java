package org.packetlab.wire;

/**
 * The proxy request {@code xreg} (0x80): register a backlog connection for the experiment named by
 * {@code snikey} (spec/wire-protocol.md §5.21). Answered by {@link Result}.
 */
public record Xreg(Snikey snikey) implements Request, BrokerMessage {

    public Xreg {
        Check.nonNull(snikey, "snikey");
    }

    /** Registration for the given snikey. */
    public static Xreg of(Snikey snikey) {
        return new Xreg(snikey);
    }

    @Override
    public MessageType type() {
        return MessageType.XREG;
    }
}
