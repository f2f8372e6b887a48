package org.packetlab.extmlet;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.packetlab.wire.Message;

/**
 * The last handler of an mlet link (the manager's end of the mlet's fd 0): hands each decoded
 * message, the link's end and its failures to the session. The codec in front of it has already
 * turned bytes into {@link Message}s, which hold no buffers.
 */
final class LinkHandler extends ChannelInboundHandlerAdapter {

    /** What the link reports to; every call comes on the link's event loop. */
    interface Listener {
        /** A message the mlet wrote. */
        void fromMlet(Message m);

        /** The framing broke (oversize header, stream ending inside a message) or the socket failed. */
        void linkFailed(Throwable cause);

        /** The link closed: the mlet closed fd 0 (or ended), or the manager closed it. */
        void linkClosed();
    }

    private final Listener listener;

    LinkHandler(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        listener.fromMlet((Message) msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        listener.linkFailed(cause);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        listener.linkClosed();
    }
}
