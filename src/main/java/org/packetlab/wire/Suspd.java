package org.packetlab.wire;

/** The message suspd (0x68): the endpoint suspends this experiment for a higher-priority one and closes the session (spec/wire-protocol.md §12.4). Its body is empty. */
public record Suspd() implements Notification {

    @Override
    public MessageType type() {
        return MessageType.SUSPD;
    }
}
