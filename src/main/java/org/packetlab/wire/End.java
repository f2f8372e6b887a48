package org.packetlab.wire;

/** The message end (0x22): defined by the protocol but not handled by the 1.1.0 endpoint (spec/wire-protocol.md §5.3). Its body is empty. */
public record End() implements Request {

    @Override
    public MessageType type() {
        return MessageType.END;
    }
}
