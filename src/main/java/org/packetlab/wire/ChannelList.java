package org.packetlab.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A channel list ({@code chlist}) of {@code xpub}/{@code xsub}: entries of {@code u8 len} (1..32)
 * and {@code len} id bytes, ended by one {@code 0x00} byte (spec/wire-protocol.md §13.2).
 *
 * <pre>
 *   +-----+--------+-----+--------+-----+
 *   | len | id ... | len | id ... | 00  |     empty list = 00
 *   +-----+--------+-----+--------+-----+
 * </pre>
 */
public record ChannelList(List<Channel> channels) {

    public ChannelList {
        channels = List.copyOf(Objects.requireNonNull(channels, "channels"));
    }

    /** A list of the given channels, in order. */
    public static ChannelList of(Channel... channels) {
        return new ChannelList(List.of(channels));
    }

    /** The empty list (encoded as the single byte 00). */
    public static ChannelList empty() {
        return new ChannelList(List.of());
    }

    /** Bytes of the encoded list, terminator included. */
    public int encodedLength() {
        int n = 1;
        for (Channel c : channels) {
            n += 1 + c.length();
        }
        return n;
    }

    /** The encoded list. */
    public byte[] encode() {
        byte[] out = new byte[encodedLength()];
        int i = 0;
        for (Channel c : channels) {
            out[i++] = (byte) c.length();
            System.arraycopy(c.idUnsafe(), 0, out, i, c.length());
            i += c.length();
        }
        return out;
    }

    /**
     * Decodes a whole encoded list; the terminator must be the last byte.
     *
     * @throws IllegalArgumentException when the bytes are not exactly one well-formed list
     */
    public static ChannelList decode(byte[] encoded) {
        List<Channel> out = new ArrayList<>();
        int end = scan(encoded, 0, encoded.length, out);
        if (end != encoded.length) {
            throw new IllegalArgumentException(end < 0 ? "malformed channel list" : "bytes after the channel list terminator");
        }
        return new ChannelList(out);
    }

    /**
     * Reads a list starting at {@code from} within {@code bytes[from, to)}; returns the index after
     * its terminator, or -1 when a length byte is over 32 or an entry runs to {@code to} without a
     * terminator. Collects the channels into {@code out}.
     */
    static int scan(byte[] bytes, int from, int to, List<Channel> out) {
        int i = from;
        while (i < to) {
            int len = bytes[i] & 0xFF;
            if (len == 0) {
                return i + 1;
            }
            if (len > Channel.MAX_LENGTH || i + 1 + len >= to) {
                return -1;
            }
            byte[] id = new byte[len];
            System.arraycopy(bytes, i + 1, id, 0, len);
            out.add(new Channel(id));
            i += 1 + len;
        }
        return -1;
    }

    @Override
    public String toString() {
        return channels.toString();
    }
}
