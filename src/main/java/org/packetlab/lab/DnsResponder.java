package org.packetlab.lab;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DNS responder over UDP on a loopback address, authoritative for the lab's names.
 *
 * <p>It answers A, AAAA and ANY queries of class IN from its zone with the AA flag, the
 * query's id and question, and TTL 0; NXDOMAIN for names outside the zone; FORMERR for a
 * datagram whose 12-byte header is readable but not the rest. Shorter datagrams and responses
 * are dropped unanswered. The default zone maps {@code pktlab.test} to 127.0.0.3 (as in the
 * reference's recorded {@code test_dns} session) and {@code example.test} to 127.0.0.4.
 *
 * <h2>The responder must be closed</h2>
 * It holds a UDP socket and an event-loop thread until {@link #close()}.
 */
public final class DnsResponder implements AutoCloseable {

    /** Datagrams are read into buffers this large; a longer query is truncated and gets FORMERR. */
    private static final int MAX_QUERY = 4096;

    private final LoopGroup loops;
    private final Channel channel;
    private final DnsZone zone;
    private final AtomicLong answered;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DnsResponder(LoopGroup loops, Channel channel, DnsZone zone, AtomicLong answered) {
        this.loops = loops;
        this.channel = channel;
        this.zone = zone;
        this.answered = answered;
    }

    /** Starts a responder with the default zone on {@code address} (loopback; port 0 picks a free port). */
    public static DnsResponder start(InetSocketAddress address) throws IOException {
        return builder().address(address).start();
    }

    /** A builder with defaults: 127.0.0.1, an ephemeral port, the default zone. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address the responder listens on, with the port actually bound. */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** The zone: names in canonical lower-case form to their addresses. */
    public Map<String, List<InetAddress>> zone() {
        return zone.hosts();
    }

    /** How many answers (any rcode, FORMERR included) have been sent. */
    public long queriesAnswered() {
        return answered.get();
    }

    /** Closes the socket and returns once its thread has ended. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            channel.close().awaitUninterruptibly();
            loops.shutdown();
        }
    }

    // visible for testing
    boolean threadsEnded() {
        return loops.threadsEnded();
    }

    @Override
    public String toString() {
        return "DnsResponder[" + channel.localAddress() + "]";
    }

    /** Settings of a {@link DnsResponder}; each setter checks its argument at once. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private final Map<String, List<InetAddress>> hosts = new LinkedHashMap<>();

        private Builder() {
            host("pktlab.test", address(127, 0, 0, 3));
            host("example.test", address(127, 0, 0, 4));
        }

        /** Where to listen: a loopback address; port 0 picks a free port. */
        public Builder address(InetSocketAddress address) {
            this.address = Loopback.check(address);
            return this;
        }

        /** Replaces the whole zone, default names included. */
        public Builder zone(Map<String, ? extends Collection<InetAddress>> zone) {
            Objects.requireNonNull(zone, "zone");
            Map<String, List<InetAddress>> checked = new LinkedHashMap<>();
            zone.forEach((name, addresses) -> checked.put(DnsZone.key(name), List.copyOf(addresses)));
            hosts.clear();
            hosts.putAll(checked);
            return this;
        }

        /**
         * Adds a name, or replaces its addresses; a name without addresses exists but has no
         * records. Names are checked at once ({@link IllegalArgumentException} if invalid).
         */
        public Builder host(String name, InetAddress... addresses) {
            Objects.requireNonNull(addresses, "addresses");
            hosts.put(DnsZone.key(name), List.of(addresses));
            return this;
        }

        /** Binds and starts answering. */
        public DnsResponder start() throws IOException {
            DnsZone zone = new DnsZone(hosts);
            AtomicLong answered = new AtomicLong();
            LoopGroup loops = new LoopGroup("pktlab-dns-responder", 1);
            ChannelFuture bound = new Bootstrap()
                    .group(loops.group())
                    .channel(NioDatagramChannel.class)
                    .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY))
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                            ch.pipeline()
                                    .addLast("dns", DnsDatagramCodec.INSTANCE)
                                    .addLast("responder", new DnsResponderHandler(zone, answered));
                        }
                    })
                    .bind(address)
                    .awaitUninterruptibly();
            if (!bound.isSuccess()) {
                loops.shutdown();
                throw new IOException("cannot start the DNS responder on " + address + ": " + bound.cause().getMessage(), bound.cause());
            }
            return new DnsResponder(loops, bound.channel(), zone, answered);
        }

        private static InetAddress address(int a, int b, int c, int d) {
            try {
                return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
            } catch (IOException e) {
                throw new IllegalStateException("four bytes are always an IPv4 address", e);
            }
        }
    }
}
