package org.packetlab.extmlet;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import java.io.IOException;

/** Turns the manager's end of a socket pair into a Netty channel on an epoll event loop. */
final class DomainSockets {
    private DomainSockets() {}

    /**
     * Wraps {@code fd} (made non-blocking) in a channel with {@code handlers} and registers it with
     * {@code loop}. The channel owns the descriptor from then on: closing it closes {@code fd}.
     */
    static Channel wrap(int fd, EventLoop loop, ChannelHandler... handlers) throws IOException {
        Posix.setNonBlocking(fd);
        Channel ch = new EpollDomainSocketChannel(fd);
        ch.pipeline().addLast(handlers);
        loop.register(ch);
        return ch;
    }
}
