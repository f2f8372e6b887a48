package org.packetlab.wire;

/**
 * The broker notification {@code xnotify} (0x70): an experiment descriptor published on a channel
 * the endpoint subscribed to (spec/wire-protocol.md §5.20).
 *
 * <pre>
 *   | chanlen u8 (1..32) | channel | xdescr (may be empty) |
 * </pre>
 */
public record Xnotify(Channel channel, NameValues xdescr) implements Notification, BrokerMessage {

    public Xnotify {
        Check.nonNull(channel, "channel");
        if (Check.nonNull(xdescr, "xdescr").syntax() != NameValues.Syntax.XDESCR) {
            throw new IllegalArgumentException("xnotify carries an xdescr, not a " + xdescr.syntax());
        }
        Check.body(1L + channel.length() + xdescr.toString().length(), "xnotify");
    }

    /** A notification of {@code xdescr} on {@code channel}. */
    public static Xnotify of(Channel channel, NameValues xdescr) {
        return new Xnotify(channel, xdescr);
    }

    @Override
    public MessageType type() {
        return MessageType.XNOTIFY;
    }
}
