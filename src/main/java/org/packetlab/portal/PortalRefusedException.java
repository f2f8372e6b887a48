package org.packetlab.portal;

/**
 * A portal's refusal of a privilege request: it answered, but signed nothing. {@link #reason()} is
 * the portal's explanation (wrong invitation code, a request the policy does not allow, too many
 * requests...), {@link #status()} its HTTP status. Fix the request, or ask the operator.
 */
public final class PortalRefusedException extends Exception {
    private final int status;
    private final String reason;

    PortalRefusedException(int status, String reason) {
        super("the portal refused (HTTP " + status + "): " + reason);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status of the refusal (400 bad request, 403 not allowed, 413 too large, 429 too many requests...). */
    public int status() {
        return status;
    }

    /** The portal's explanation. */
    public String reason() {
        return reason;
    }
}
