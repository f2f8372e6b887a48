package org.packetlab.wire;

/** The message start (0x21): ends the setup phase; the endpoint answers `result` and runs the experiment (spec/wire-protocol.md §5.3). Its body is empty. */
public record Start() implements Request {

    @Override
    public MessageType type() {
        return MessageType.START;
    }
}
