package org.packetlab.portal;

/**
 * A policy file the portal will not start with: {@link #getMessage()} names the file, the line
 * and the key at fault, e.g. {@code policy.properties:7: limit.max_socket_count: "ten" is not a number}.
 */
public final class PortalPolicyException extends Exception {
    PortalPolicyException(String message) {
        super(message);
    }

    PortalPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
