package org.packetlab.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A broker channel id: 1 to 32 bytes (spec/wire-protocol.md §13.2). A private channel is the
 * 32-byte key identifier of an endpoint operator's key; public channels are shorter ids.
 */
public record Channel(byte[] id) {

    public static final int MAX_LENGTH = 32;

    public Channel {
        if (id == null || id.length < 1 || id.length > MAX_LENGTH) {
            throw new IllegalArgumentException("channel id must be 1..32 bytes, got "
                    + (id == null ? "null" : id.length));
        }
        id = id.clone();
    }

    /** A channel with the given id bytes (copied). */
    public static Channel of(byte[] id) {
        return new Channel(id);
    }

    /** A copy of the id bytes. */
    @Override
    public byte[] id() {
        return id.clone();
    }

    /** Length of the id in bytes. */
    public int length() {
        return id.length;
    }

    /** Whether this is a private channel (a 32-byte key identifier). */
    public boolean isPrivate() {
        return id.length == MAX_LENGTH;
    }

    byte[] idUnsafe() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Channel c && Arrays.equals(id, c.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    /** The id in hex. */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(id);
    }
}
