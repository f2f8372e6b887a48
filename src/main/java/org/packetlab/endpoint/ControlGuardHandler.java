package org.packetlab.endpoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import javax.net.ssl.SSLException;
import org.packetlab.wire.FrameTooLongException;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;

/**
 * The last handler of a control connection: it watches the connection rather than the messages.
 * Writability changes drive back-pressure; an oversized frame is answered with ECTLBADMSG and
 * closes the session; any other failure (truncated stream, TLS error, reset) and the end of the
 * connection end the session with one log line naming the controller and the reason.
 */
final class ControlGuardHandler extends ChannelInboundHandlerAdapter {
    private final Session session;

    ControlGuardHandler(Session session) {
        this.session = session;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.writer().updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (session.isEnding()) {
            session.log().debug("controller {}: after the end: {}", session.peer(), MeasurementSocket.describe(cause));
            return;
        }
        if (cause instanceof FrameTooLongException tooLong) {
            session.log().warn("controller {}: frame of {} bytes exceeds the {}-byte limit: ECTLBADMSG, closing",
                    session.peer(), tooLong.length(), tooLong.maxBody());
            session.endWith(Result.of(Status.ECTLBADMSG), new SessionOutcome.ProtocolViolation(cause.getMessage()));
            return;
        }
        String kind = cause instanceof SSLException ? "tls error" : "connection error";
        session.log().warn("controller {}: {}: {}, closing", session.peer(), kind, MeasurementSocket.describe(cause));
        session.connectionFailed(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.closed();
    }
}
