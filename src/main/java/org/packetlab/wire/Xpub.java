package org.packetlab.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The broker request {@code xpub} (0x31): publish an experiment descriptor on channels
 * (spec/wire-protocol.md §5.19).
 *
 * <pre>
 *   | chlist (ends with 00) | eopkey (32 bytes) | xdescr (name-value string, may be empty) |
 * </pre>
 *
 * @param eopkey the raw Ed25519 key of the endpoint-operator root (all zero when none)
 */
public record Xpub(ChannelList channels, byte[] eopkey, NameValues xdescr) implements Request, BrokerMessage {

    public static final int KEY_LENGTH = 32;

    public Xpub {
        Check.nonNull(channels, "channels");
        eopkey = Check.copy(eopkey);
        if (eopkey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("eopkey must be 32 bytes, got " + eopkey.length);
        }
        if (Check.nonNull(xdescr, "xdescr").syntax() != NameValues.Syntax.XDESCR) {
            throw new IllegalArgumentException("xpub carries an xdescr, not a " + xdescr.syntax());
        }
        Check.body((long) channels.encodedLength() + KEY_LENGTH + xdescr.toString().length(), "xpub");
    }

    /** A publication of {@code xdescr} on {@code channels} for endpoints of the operator {@code eopkey}. */
    public static Xpub of(ChannelList channels, byte[] eopkey, NameValues xdescr) {
        return new Xpub(channels, eopkey, xdescr);
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
        return MessageType.XPUB;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xpub x && x.channels.equals(channels) && Arrays.equals(x.eopkey, eopkey) && x.xdescr.equals(xdescr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(channels, Arrays.hashCode(eopkey), xdescr);
    }

    @Override
    public String toString() {
        return "Xpub[channels=" + channels + ", eopkey=" + HexFormat.of().formatHex(eopkey) + ", xdescr=" + xdescr + "]";
    }
}
