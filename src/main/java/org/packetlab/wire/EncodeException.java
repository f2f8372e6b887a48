package org.packetlab.wire;

/** A message could not be written: the target buffer cannot hold it. */
public final class EncodeException extends WireException {
    private static final long serialVersionUID = 1L;

    public EncodeException(String message) {
        super(message);
    }
}
