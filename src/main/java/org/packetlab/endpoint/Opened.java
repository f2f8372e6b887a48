package org.packetlab.endpoint;

import org.packetlab.wire.Status;

/**
 * The outcome of an {@code nopen}: the status for the {@code result}, the socket when it opened,
 * and what to do right after that {@code result} has been queued (an immediately connected TCP
 * socket announces itself with {@code nstat} then, so the notification follows the response).
 */
record Opened(Status status, MeasurementSocket socket, Runnable afterResult) {

    static Opened refused(Status status) {
        return new Opened(status, null, null);
    }
}
