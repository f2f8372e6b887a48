package org.packetlab.mlet;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A TCP connection that lives on the endpoint: bytes sent go out from the endpoint, bytes received
 * arrived there, each with the endpoint's time.
 *
 * <pre>{@code
 * try (TcpSocket s = ep.tcp("127.0.0.1", 80)) {
 *     s.send(request);
 *     s.shutdownOutput();                  // optional: FIN once the request is out
 *     ReceivedStream reply = s.readUntilClose();
 * }
 * }</pre>
 *
 * <h2>The socket must be closed</h2>
 * Close it (try-with-resources) to free its socket id on the endpoint; closing discards sends not
 * yet made. Ending the session closes every socket.
 *
 * <h2>Connect failures</h2>
 * The endpoint reports a successful connect but stays silent when one fails; {@link #awaitConnected()}
 * and the receive calls therefore poll the socket's state in vmem while they wait, and throw
 * {@link SocketFailedException} with the state ({@code REFUSED}, {@code UNREACH}, ...).
 */
public interface TcpSocket extends AutoCloseable {

    /** The socket id on the endpoint (0-255). */
    int sktid();

    /** Where the endpoint connects to. */
    InetSocketAddress remote();

    /** Waits (up to the session timeout) until the connection is established. */
    void awaitConnected() throws IOException;

    /** Waits up to {@code timeout} until the connection is established. */
    void awaitConnected(Duration timeout) throws IOException;

    /** Queues {@code data} to be sent by the endpoint as soon as possible, with a fresh tag. */
    Sent send(byte[] data) throws IOException;

    /** Queues {@code data} to be sent by the endpoint at the time and with the tag of {@code options}. */
    Sent send(byte[] data, SendOptions options) throws IOException;

    /**
     * The next chunk of the byte stream (waiting up to the session timeout).
     *
     * @throws EOFException when the peer has closed and every chunk before has been read
     * @throws SocketFailedException when the connection failed (refused, reset, timed out, ...)
     */
    Received receive() throws IOException;

    /** The next chunk of the byte stream, waiting up to {@code timeout}; see {@link #receive()}. */
    Received receive(Duration timeout) throws IOException;

    /**
     * Every chunk until the peer closes its side, each with its endpoint time. Waits up to the
     * session timeout for each chunk (so a long transfer that keeps moving does not time out).
     */
    ReceivedStream readUntilClose() throws IOException;

    /** Like {@link #readUntilClose()}, waiting up to {@code idleTimeout} for each chunk. */
    ReceivedStream readUntilClose(Duration idleTimeout) throws IOException;

    /** Shuts down the endpoint's sending side (FIN) once every send queued before is out. */
    void shutdownOutput() throws IOException;

    /** Closes the socket on the endpoint. Idempotent; does nothing once the session has ended. */
    @Override
    void close() throws IOException;
}
