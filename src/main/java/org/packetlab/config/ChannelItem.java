package org.packetlab.config;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * One item of a channel list in a configuration file ({@code ExpExec}'s PUB_CHANNEL, the endpoint's
 * {@code BrokerChannel}; spec/config-files.md §2.4, agents.md §C.2.1): either empty, meaning the
 * private channel(s) derived from the credentials, or a channel id written in hex.
 *
 * <p>A channel id of 32 bytes is private (a key id), a shorter one public (spec/broker.md §6).
 *
 * @param hex the id as lower-case hex digits, or the empty string for the derived channel(s)
 */
public record ChannelItem(String hex) {

    /** The longest channel id, in bytes. */
    public static final int MAX_ID_BYTES = 32;
    /** The empty item: the private channel(s) derived from the credentials. */
    public static final ChannelItem DERIVED = new ChannelItem("");

    public ChannelItem {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("channel \"" + hex + "\": odd number of hex digits");
        }
        if (hex.length() > 2 * MAX_ID_BYTES) {
            throw new IllegalArgumentException("channel \"" + hex + "\": longer than " + MAX_ID_BYTES + " bytes");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("channel \"" + hex + "\": not hex digits (no 0x prefix)");
            }
        }
        hex = hex.toLowerCase(Locale.ROOT);
    }

    /** A channel with the given id (1..32 bytes). */
    public static ChannelItem of(byte[] id) {
        if (id.length == 0) {
            throw new IllegalArgumentException("empty channel id (use DERIVED for the derived channels)");
        }
        if (id.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("channel id longer than " + MAX_ID_BYTES + " bytes");
        }
        return new ChannelItem(HexFormat.of().formatHex(id));
    }

    /** A public channel named by ASCII text, e.g. {@code "public"} (7075626c6963). */
    public static ChannelItem named(String name) {
        return of(name.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether this is the empty item (the derived private channels). */
    public boolean isDerived() {
        return hex.isEmpty();
    }

    /** Whether this is a private channel id (32 bytes). */
    public boolean isPrivate() {
        return hex.length() == 2 * MAX_ID_BYTES;
    }

    /** The channel id; empty for {@link #DERIVED}. */
    public byte[] id() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
