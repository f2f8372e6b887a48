package org.packetlab.wire;

/**
 * The request {@code yield} (0x23): the endpoint answers {@code result}, disconnects, and does not
 * reconnect to this experiment before {@code rhint} (spec/wire-protocol.md §5.4).
 *
 * @param rhint absolute pktlab time (unsigned, {@link PktlabTime})
 */
public record Yield(long rhint) implements Request {

    @Override
    public MessageType type() {
        return MessageType.YIELD;
    }

    @Override
    public String toString() {
        return "Yield[rhint=" + PktlabTime.toString(rhint) + "]";
    }
}
