package org.packetlab.wire;

/**
 * A PacketLab message: one immutable record per message type of spec/wire-protocol.md §4, plus
 * {@link Raw} for what does not decode. Byte arrays are copied on the way in and out, so a
 * message can be shared freely between threads.
 *
 * <p>Switch over the sealed families without {@code default}: a new message type then breaks the
 * build until every consumer handles it.
 */
public sealed interface Message permits Request, Response, Notification, BrokerMessage, SocketMessage, Raw {

    /** The message type; {@link MessageType#RAW} for a {@link Raw} (whose {@link Raw#typeCode()} holds the wire byte). */
    MessageType type();
}
