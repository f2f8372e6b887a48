package org.packetlab.extmlet;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import java.io.IOException;

/** Turns the manager's end of a socket pair into a Netty channel on an epoll event loop. */
final class DomainSockets {
    private DomainSockets() {}

    /**
     * Wraps {@code fd} (made non-blocking) in a channel with {@code handlers}, registered with
     * {@code loop}. Takes {@code fd} over in every case: the channel closes it, or this method does
     * when it fails.
     *
     * @throws IOException when the descriptor cannot be made non-blocking or the loop refuses the channel
     */
    static Channel wrap(int fd, EventLoop loop, ChannelHandler... handlers) throws IOException {
        try {
            Posix.setNonBlocking(fd);
        } catch (IOException e) {
            Posix.close(fd);
            throw e;
        }
        Channel ch = new EpollDomainSocketChannel(fd);
        ch.pipeline().addLast(handlers);
        // on the loop itself registering is immediate; elsewhere this waits for the loop's turn
        ChannelFuture registered = loop.register(ch).awaitUninterruptibly();
        if (!registered.isSuccess()) {
            ch.unsafe().closeForcibly();
            throw new IOException("cannot register an mlet socket with its event loop: " + registered.cause(), registered.cause());
        }
        return ch;
    }
}
