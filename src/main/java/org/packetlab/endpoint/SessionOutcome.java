package org.packetlab.endpoint;

import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Status;

/**
 * How an endpoint session with a controller ended. A refusal or a failure is an outcome, not an
 * exception: the endpoint itself carries on.
 */
public sealed interface SessionOutcome {

    /** One line for logs and the command line. */
    String describe();

    /** Whether the experiment ran to a normal end (the controller closed the session or asked the endpoint to yield). */
    default boolean isNormalEnd() {
        return this instanceof ControllerClosed || this instanceof Yielded;
    }

    /** The controller closed the connection: the normal end of an experiment (the reference has no working {@code end}). */
    record ControllerClosed() implements SessionOutcome {
        @Override
        public String describe() {
            return "controller closed the session";
        }
    }

    /**
     * The controller sent {@code yield}: the endpoint answered and disconnected, and should not run
     * this experiment again before {@code until}.
     *
     * @param until pktlab time (unsigned nanoseconds since the epoch)
     */
    record Yielded(long until) implements SessionOutcome {
        @Override
        public String describe() {
            return "yield until " + PktlabTime.toString(until) + " (" + (until == PktlabTime.MAX ? "never" : PktlabTime.toInstant(until)) + ")";
        }
    }

    /** The controller did not complete the setup phase ({@code start}) in time. */
    record SetupTimedOut() implements SessionOutcome {
        @Override
        public String describe() {
            return "setup phase not completed in time (no successful start)";
        }
    }

    /**
     * {@code start} failed (ECRTNOHDAT: a required monitor program was not supplied, or cannot run here).
     *
     * @param status the status sent to the controller
     * @param reason what was missing
     */
    record StartRefused(Status status, String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "start refused with " + status + ": " + reason;
        }
    }

    /** The TLS handshake failed (controller chain refused, wrong root, SNI refused by the controller, ...). */
    record TlsRefused(String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "tls refused: " + reason;
        }
    }

    /** No connection to the controller could be made before giving up (spec/agents.md §C.5: 5 s). */
    record Unreachable(String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "controller unreachable: " + reason;
        }
    }

    /** The verified controller chain cannot be served (e.g. more than 100 monitor digests). */
    record LimitsRefused(String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "controller chain refused: " + reason;
        }
    }

    /** The controller sent a malformed message or an oversized frame: ECTLBADMSG sent, connection closed. */
    record ProtocolViolation(String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "bad message from controller: " + reason;
        }
    }

    /** The experiment's end time (certificate validity, max_exp_period) passed. */
    record Expired() implements SessionOutcome {
        @Override
        public String describe() {
            return "experiment time exhausted";
        }
    }

    /** The connection failed during the session (reset, TLS error, truncated stream). */
    record ConnectionFailed(String reason) implements SessionOutcome {
        @Override
        public String describe() {
            return "connection to controller failed: " + reason;
        }
    }

    /**
     * The endpoint suspended the session for an experiment of higher priority (spec/agents.md §C.4):
     * it sent {@code suspd} and disconnected; the experiment runs again later from the start.
     */
    record Suspended() implements SessionOutcome {
        @Override
        public String describe() {
            return "suspended for an experiment of higher priority";
        }
    }

    /** The endpoint was closed while the session ran. */
    record EndpointClosed() implements SessionOutcome {
        @Override
        public String describe() {
            return "endpoint closed";
        }
    }
}
