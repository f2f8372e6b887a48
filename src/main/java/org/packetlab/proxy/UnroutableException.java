package org.packetlab.proxy;

/** Why an endpoint connection cannot be given a backlog connection (no or unknown SNI, none in time). */
final class UnroutableException extends Exception {
    UnroutableException(String message) {
        super(message);
    }
}
