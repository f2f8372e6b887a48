package org.packetlab.mlet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * A UDP socket that lives on the endpoint: datagrams go out from the endpoint and are received
 * there, each with the endpoint's time.
 *
 * <pre>{@code
 * try (UdpSocket s = ep.udp()) {
 *     Sent sent = s.send(new InetSocketAddress("127.0.0.1", 53), query);
 *     Datagram answer = s.receive(Duration.ofSeconds(2));
 *     Duration rtt = Duration.between(sent.sentAt(), answer.time());
 * }
 * }</pre>
 *
 * <h2>The socket must be closed</h2>
 * Close it (try-with-resources) to free its socket id on the endpoint.
 */
public interface UdpSocket extends AutoCloseable {

    /** The socket id on the endpoint (0-255). */
    int sktid();

    /** Where {@link #send(byte[])} sends, when the socket was opened with a destination. */
    Optional<InetSocketAddress> destination();

    /**
     * Sends {@code data} to the destination given when the socket was opened.
     *
     * @throws IllegalStateException when the socket was opened without a destination
     */
    Sent send(byte[] data) throws IOException;

    /** Sends the datagram {@code data} to {@code destination} from the endpoint, as soon as possible. */
    Sent send(InetSocketAddress destination, byte[] data) throws IOException;

    /** Sends the datagram {@code data} to {@code destination} at the time and with the tag of {@code options}. */
    Sent send(InetSocketAddress destination, byte[] data, SendOptions options) throws IOException;

    /** The next datagram the endpoint received, waiting up to the session timeout. */
    Datagram receive() throws IOException;

    /** The next datagram the endpoint received, waiting up to {@code timeout}. */
    Datagram receive(Duration timeout) throws IOException;

    /** Closes the socket on the endpoint. Idempotent; does nothing once the session has ended. */
    @Override
    void close() throws IOException;
}
