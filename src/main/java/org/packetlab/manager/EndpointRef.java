package org.packetlab.manager;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One endpoint connection as the manager knows it, from accept to close: the first argument of
 * every {@link RunListener} callback, which is how a callback is paired with the one that started it.
 *
 * @param id          the connection's number, unique within its manager, counting from 1
 * @param address     the endpoint's TCP peer address
 * @param connectedAt when the manager accepted the connection
 */
public record EndpointRef(long id, InetSocketAddress address, Instant connectedAt) {

    public EndpointRef {
        if (id < 1) {
            throw new IllegalArgumentException("id < 1");
        }
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(connectedAt, "connectedAt");
    }

    /** {@code #7 192.0.2.1:40312}: what log lines name. */
    @Override
    public String toString() {
        String host = address.getAddress() != null ? NetUtil.toAddressString(address.getAddress()) : address.getHostString();
        return "#" + id + " " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
