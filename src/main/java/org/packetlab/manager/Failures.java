package org.packetlab.manager;

import io.netty.handler.codec.DecoderException;
import org.packetlab.results.EndpointResult;

/** One-line descriptions of what broke a connection, for log lines and results. */
final class Failures {
    private Failures() {}

    /** Describes {@code cause} without Netty's wrapping (a {@link DecoderException} around the real failure). */
    static String describe(Throwable cause) {
        Throwable t = cause;
        while (t instanceof DecoderException && t.getCause() != null) {
            t = t.getCause();
        }
        return EndpointResult.describe(t);
    }
}
