package org.packetlab.dns;

import java.io.IOException;

/** A DNS message that cannot be decoded: truncated, inconsistent or using a forbidden encoding. */
public final class DnsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    DnsFormatException(int offset, String reason) {
        super("malformed DNS message at byte " + offset + ": " + reason);
        this.offset = offset;
    }

    /** The byte offset in the message where decoding failed. */
    public int offset() {
        return offset;
    }
}
