package org.packetlab.wire;

/** A header announced a body longer than the configured maximum; nothing was allocated for it. */
public final class FrameTooLongException extends WireException {
    private static final long serialVersionUID = 1L;

    private final int length;
    private final int maxBody;

    public FrameTooLongException(int length, int maxBody) {
        super("message body of " + length + " bytes exceeds the maximum of " + maxBody);
        this.length = length;
        this.maxBody = maxBody;
    }

    /** The body length the header announced. */
    public int length() {
        return length;
    }

    /** The configured maximum body length. */
    public int maxBody() {
        return maxBody;
    }
}
