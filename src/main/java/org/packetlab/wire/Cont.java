package org.packetlab.wire;

/** The message cont (0x24): defined by the protocol but not handled by the 1.1.0 endpoint (spec/wire-protocol.md §5.3). Its body is empty. */
public record Cont() implements Request {

    @Override
    public MessageType type() {
        return MessageType.CONT;
    }
}
