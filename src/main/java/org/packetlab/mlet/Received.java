package org.packetlab.mlet;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A chunk of a TCP byte stream and when the endpoint received it.
 *
 * @param data the bytes (a copy is kept; the accessor returns a copy too)
 * @param time the endpoint's receive time
 */
public record Received(byte[] data, Instant time) {

    public Received {
        data = data.clone();
        Objects.requireNonNull(time, "time");
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of bytes. */
    public int length() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Received r && r.time.equals(time) && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return time.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Received[" + data.length + " bytes at " + time + "]";
    }
}
