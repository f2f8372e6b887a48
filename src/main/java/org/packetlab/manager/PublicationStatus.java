package org.packetlab.manager;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.packetlab.wire.NameValues;

/** Where a run's publication through a broker stands (spec/agents.md §B). */
public sealed interface PublicationStatus {

    /** One line for logs and the command line. */
    String describe();

    /** The manager is connecting to the broker and publishing. */
    record Connecting(InetSocketAddress broker) implements PublicationStatus {
        @Override
        public String describe() {
            return "publishing at the broker " + broker;
        }
    }

    /**
     * The broker accepted every descriptor; endpoints subscribed to their channels are notified.
     *
     * @param descriptors the xdescrs published, in publication order
     */
    record Published(InetSocketAddress broker, List<NameValues> descriptors) implements PublicationStatus {
        public Published {
            Objects.requireNonNull(broker, "broker");
            descriptors = List.copyOf(descriptors);
        }

        @Override
        public String describe() {
            return descriptors.size() + " experiment(s) published at the broker " + broker;
        }
    }

    /**
     * The publications ended: the run is over, {@code pub_end} was reached, or the broker closed
     * the connection. Endpoints already notified may still connect while the run goes on.
     */
    record Withdrawn(InetSocketAddress broker, List<NameValues> descriptors, String reason) implements PublicationStatus {
        public Withdrawn {
            Objects.requireNonNull(broker, "broker");
            descriptors = List.copyOf(descriptors);
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "publication at the broker " + broker + " withdrawn: " + reason;
        }
    }

    /**
     * The publication failed (the run was stopped, as the reference manager gives up): the broker
     * could not be reached, the TLS handshake failed, or the broker refused a request.
     *
     * @param errid the broker's errid when it refused; empty for a transport failure
     */
    record Failed(InetSocketAddress broker, String reason, OptionalInt errid) implements PublicationStatus {
        public Failed {
            Objects.requireNonNull(broker, "broker");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(errid, "errid");
        }

        @Override
        public String describe() {
            return "publication failed: " + reason;
        }
    }
}
