package org.packetlab.wire;

import java.io.IOException;

/**
 * A framing or encoding failure of the PacketLab codec: the only exception type the codec throws.
 * Malformed bodies and unknown types are not failures: they decode to {@link Raw}.
 */
public class WireException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
