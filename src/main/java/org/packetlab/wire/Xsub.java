package org.packetlab.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The broker request {@code xsub} (0x38): subscribe to channels with endpoint attributes
 * (spec/wire-protocol.md §5.19).
 *
 * <pre>
 *   | chlist (ends with 00) | eopkey (32 bytes) | dattr (name-value string, may be empty) |
 * </pre>
 *
 * @param eopkey the raw Ed25519 key of the endpoint-operator root (all zero when none)
 */
public record Xsub(ChannelList channels, byte[] eopkey, NameValues dattr) implements Request, BrokerMessage {

    public Xsub {
        Check.nonNull(channels, "channels");
        eopkey = Check.copy(eopkey);
        if (eopkey.length != Xpub.KEY_LENGTH) {
            throw new IllegalArgumentException("eopkey must be 32 bytes, got " + eopkey.length);
        }
        if (Check.nonNull(dattr, "dattr").syntax() != NameValues.Syntax.DATTR) {
            throw new IllegalArgumentException("xsub carries a dattr, not a " + dattr.syntax());
        }
        Check.body((long) channels.encodedLength() + Xpub.KEY_LENGTH + dattr.toString().length(), "xsub");
    }

    /** A subscription to {@code channels} with attributes {@code dattr}, trusting operator key {@code eopkey}. */
    public static Xsub of(ChannelList channels, byte[] eopkey, NameValues dattr) {
        return new Xsub(channels, eopkey, dattr);
    }

    /** A copy of the endpoint-operator key. */
    @Override
    public byte[] eopkey() {
        return eopkey.clone();
    }

    byte[] eopkeyUnsafe() {
        return eopkey;
    }

    @Override
    public MessageType type() {
        return MessageType.XSUB;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xsub x && x.channels.equals(channels) && Arrays.equals(x.eopkey, eopkey) && x.dattr.equals(dattr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, Arrays.hashCode(eopkey), dattr);
    }

    @Override
    public String toString() {
        return "Xsub[channels=" + channels + ", eopkey=" + HexFormat.of().formatHex(eopkey) + ", dattr=" + dattr + "]";
    }
}
