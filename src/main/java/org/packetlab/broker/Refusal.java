package org.packetlab.broker;

import java.util.Objects;
import org.packetlab.wire.Status;

/** Why the broker refuses a request: the status it answers with and a reason for the log. */
record Refusal(Status status, String reason) {
    Refusal {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }

    static Refusal of(Status status, String reason) {
        return new Refusal(status, reason);
    }
}
