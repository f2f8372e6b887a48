package org.packetlab.mlet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One endpoint as an mlet sees it: sockets that live on the endpoint, the endpoint's exported
 * memory (vmem) and its clock. Every time it reports is an endpoint-side reading.
 *
 * <pre>{@code
 * Instant now = ep.clock();                      // the endpoint's wall clock
 * try (TcpSocket s = ep.tcp("127.0.0.1", 80)) {  // the endpoint opens the connection
 *     Sent sent = s.send("GET / HTTP/1.0\r\n\r\n".getBytes(US_ASCII));
 *     ReceivedStream reply = s.readUntilClose();
 *     Duration elapsed = Duration.between(sent.sentAt(), reply.lastTime());
 * }
 * }</pre>
 *
 * <h2>Blocking and timeouts</h2>
 * Each call sends a request and blocks until the endpoint answers; answers come in request order
 * (spec/wire-protocol.md §12.2). A call that waits longer than {@link #timeout()} (or the
 * duration it was given) throws {@link java.net.SocketTimeoutException}; an interrupted thread
 * gets an {@link java.io.InterruptedIOException} at once, with its interrupt status kept.
 *
 * <h2>Errors</h2>
 * A request the endpoint refuses throws {@link PacketLabException} carrying the status; the end
 * of the session throws {@link SessionClosedException} (or {@link SessionSuspendedException}).
 * Both are {@link IOException}s.
 *
 * <p>Thread-safe: an mlet may use one session from several threads.
 */
public interface EndpointSession {

    /** The endpoint's address as the manager sees it: what the reference passes to mlets as {@code EPADDR}. */
    InetAddress address();

    /** The endpoint's host id (vmem {@code HOSTID}; the reference endpoint's default is {@code pktendpt}). */
    String hostId() throws IOException;

    /** The endpoint's wall clock now (vmem {@code TIME}). */
    Instant clock() throws IOException;

    /** The endpoint's wall clock now in nanoseconds since the Unix epoch (pktlab time). */
    long clockNanos() throws IOException;

    /** The local addresses the endpoint exports, IPv4 first (with prefix length), in its preference order. */
    List<LocalAddress> localAddresses() throws IOException;

    /** The DNS resolvers the endpoint exports, IPv4 first. */
    List<InetAddress> dnsServers() throws IOException;

    /**
     * Reads {@code len} bytes of endpoint vmem at {@code addr} (see {@link org.packetlab.wire.Vmem}).
     *
     * @throws IllegalArgumentException unless 1 &le; len &le; 65535 and the range ends before 2^32
     */
    byte[] mread(long addr, int len) throws IOException;

    /**
     * Writes {@code data} to endpoint vmem at {@code addr}. The endpoint answers success even for
     * bytes it does not let an mlet change (spec/wire-protocol.md §10.4).
     */
    void mwrite(long addr, byte[] data) throws IOException;

    /** What the endpoint reports about socket {@code sktid} (vmem {@code SKTINFO}). */
    SocketInfo socketInfo(int sktid) throws IOException;

    /** Opens a TCP connection from the endpoint to {@code host} (resolved here, IPv4 preferred) and {@code port}. */
    TcpSocket tcp(String host, int port) throws IOException;

    /** Opens a TCP connection from the endpoint to {@code remote}. */
    TcpSocket tcp(InetSocketAddress remote) throws IOException;

    /** Opens a TCP connection from the endpoint to {@code remote} with the given socket id, buffer and local address. */
    TcpSocket tcp(InetSocketAddress remote, SocketOptions options) throws IOException;

    /** Opens a UDP socket on the endpoint, bound to the IPv4 wildcard address and an ephemeral port. */
    UdpSocket udp() throws IOException;

    /** Opens a UDP socket on the endpoint whose {@link UdpSocket#send(byte[])} goes to {@code host}:{@code port}. */
    UdpSocket udp(String host, int port) throws IOException;

    /** Opens a UDP socket on the endpoint with the given socket id, buffer and local address. */
    UdpSocket udp(SocketOptions options) throws IOException;

    /**
     * Ends this session politely: the endpoint agrees, disconnects, and does not come back to this
     * experiment before {@code notBefore} (an endpoint time).
     */
    void yieldUntil(Instant notBefore) throws IOException;

    /** How long a blocking call waits by default (10 seconds unless set). */
    Duration timeout();

    /** Sets how long a blocking call waits by default; returns this session. */
    EndpointSession timeout(Duration timeout);
}
