package org.packetlab.broker;

import java.time.Clock;
import java.time.Duration;

/** The limits and seams one {@link Broker} runs with; built and validated by {@link Broker.Builder}. */
record BrokerSettings(
        int maxPublications,
        int maxSubscribers,
        int maxCertificates,
        int maxDescriptorBytes,
        int maxPendingNotifications,
        int maxCertificateBytes,
        int maxRequestBytes,
        Duration setupTimeout,
        Duration refusalDelay,
        Clock clock,
        BrokerPolicy policy,
        BrokerListener listener) {

    /** Now, in pktlab time (ns since the epoch). */
    long now() {
        return org.packetlab.wire.PktlabTime.of(clock.instant());
    }
}
