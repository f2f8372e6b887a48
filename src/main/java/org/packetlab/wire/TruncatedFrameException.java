package org.packetlab.wire;

/** The input ended inside a message (in its header or body), or a buffer held an incomplete message. */
public final class TruncatedFrameException extends WireException {
    private static final long serialVersionUID = 1L;

    public TruncatedFrameException(String message) {
        super(message);
    }
}
