package org.packetlab.wire;

/** The message resumd (0x69): defined by the protocol, never sent by the 1.1.0 endpoint (spec/wire-protocol.md §5.3). Its body is empty. */
public record Resumd() implements Notification {

    @Override
    public MessageType type() {
        return MessageType.RESUMD;
    }
}
