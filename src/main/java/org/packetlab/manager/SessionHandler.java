package org.packetlab.manager;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import org.packetlab.mlet.SessionSink;
import org.packetlab.mlet.SessionTransport;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manager's side of the session seam for one set-up session: a {@link SessionTransport} over
 * the channel for whoever serves the session, and the last handler of the pipeline, passing every
 * decoded message from the endpoint to the {@link SessionSink} ({@code linfo} is logged instead,
 * spec/agents.md §A.4.4). A framing error or an I/O error closes the session; the sink then hears
 * the cause. Messages carry no buffers, so nothing here needs releasing.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter implements SessionTransport {
    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);

    private final EndpointConnection<?> conn;
    private final Channel channel;
    private volatile SessionSink sink;
    private volatile boolean closeRequested;
    private Throwable failure;      // event loop only
    private boolean closedReported; // event loop only

    SessionHandler(EndpointConnection<?> conn, Channel channel) {
        this.conn = conn;
        this.channel = channel;
    }

    /** Sets the sink; called before this handler joins the pipeline. */
    void attach(SessionSink sink) {
        this.sink = sink;
    }

    @Override
    public void send(Message m) {
        channel.writeAndFlush(m).addListener(this::sent);
    }

    private void sent(Future<? super Void> f) {
        // a write fails on a closed channel (the sink hears of the close) or because the message
        // cannot be encoded: then the session is broken and closes with that cause
        if (!f.isSuccess() && !(f.cause() instanceof ClosedChannelException) && channel.isActive()) {
            channel.pipeline().fireExceptionCaught(f.cause());
        }
    }

    @Override
    public void close() {
        closeRequested = true;
        channel.close();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return conn.endpoint().address();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message m = (Message) msg;
        if (m instanceof Linfo linfo) {
            LinfoLog.log(conn.endpoint(), linfo);
        } else {
            sink.onMessage(m);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (failure == null) {
            failure = cause;
            // the connection logs the loss of a running session; this line is for errors after its end
            log.debug("endpoint {} session error: {}; closing the session", conn.endpoint(), Failures.describe(cause));
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        conn.sessionClosed(failure, closeRequested);
        if (!closedReported) {
            closedReported = true;
            sink.onClosed(failure);
        }
    }
}
