package org.packetlab.broker;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.Channel;
import org.packetlab.wire.NameValues;

/**
 * A publication the broker accepted, as its listener and {@link Broker#publications()} see it.
 *
 * @param id        the broker's number for it, increasing in acceptance order
 * @param publisher the publisher's TCP address
 * @param agentKey  key id of the publisher's agent key (its TLS identity)
 * @param channels  the channels it was published on, in publication order
 * @param xdescr    the experiment descriptor, as sent
 * @param end       pktlab time (unsigned) after which it is no longer delivered: the earlier of its
 *                  {@code pub_end} and the end of its verified chain; empty when neither applies
 */
public record PublicationInfo(long id, InetSocketAddress publisher, KeyId agentKey, List<Channel> channels,
                              NameValues xdescr, OptionalLong end) {
    public PublicationInfo {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(agentKey, "agentKey");
        channels = List.copyOf(channels);
        Objects.requireNonNull(xdescr, "xdescr");
        Objects.requireNonNull(end, "end");
    }
}
