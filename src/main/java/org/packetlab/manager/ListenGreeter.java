package org.packetlab.manager;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannelRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Passive-mode greeting (spec/agents.md §A.5): one listening socket with a large backlog (the
 * reference's 0 drops concurrent endpoints) and SO_REUSEADDR (the reference's quick restarts fail
 * without it). It reads from the socket only while the current run has a free slot, one connection
 * per read, so endpoints beyond the attempt count wait in the kernel's backlog; accepted
 * connections get TCP_NODELAY (one message, one segment, no delayed-ACK stall) and keepalive.
 */
final class ListenGreeter implements Greeter {

    private final Channel server;

    ListenGreeter(EventLoops loops, AcceptGate gate, ManagerInitializer initializer, InetSocketAddress address, int backlog)
            throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(loops.accept, loops.sessions)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, backlog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.RECVBUF_ALLOCATOR, new ServerChannelRecvByteBufAllocator().maxMessagesPerRead(1))
                .handler(gate)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer)
                .bind(address)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen on " + address + ": " + Failures.describe(bound.cause()), bound.cause());
        }
        server = bound.channel();
    }

    @Override
    public void greet(boolean open) {
        server.config().setAutoRead(open);
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public boolean isOpen() {
        return server.isOpen();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
    }
}
