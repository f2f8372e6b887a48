package org.packetlab.mlet;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP datagram the endpoint received: its payload, who sent it, and when it arrived.
 *
 * @param data   the payload (possibly truncated by the socket's receive buffer; copied both ways)
 * @param source the sender's address and port
 * @param time   the endpoint's receive time
 */
public record Datagram(byte[] data, InetSocketAddress source, Instant time) {

    public Datagram {
        data = data.clone();
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
    }

    /** A copy of the payload. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of payload bytes. */
    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datagram d && d.source.equals(source) && d.time.equals(time) && Arrays.equals(d.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, time, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "Datagram[" + data.length + " bytes from " + source + " at " + time + "]";
    }
}
