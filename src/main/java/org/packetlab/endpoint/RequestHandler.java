package org.packetlab.endpoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.packetlab.wire.BrokerMessage;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Cont;
import org.packetlab.wire.End;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.Ncap;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Notification;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Request;
import org.packetlab.wire.Response;
import org.packetlab.wire.Result;
import org.packetlab.wire.SocketMessage;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xreg;
import org.packetlab.wire.Xsub;
import org.packetlab.wire.Yield;

/**
 * Serves the requests of a running session (spec/agents.md §C.7): exactly one response per
 * request, in request order, on the outgoing queue that notifications share. Unknown and
 * unsupported types get ECTLNOTSUP and the session goes on; a malformed message gets ECTLBADMSG
 * and the session closes.
 */
final class RequestHandler extends SimpleChannelInboundHandler<Message> {
    private final Session session;

    RequestHandler(Session session) {
        this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (session.isEnding()) {
            return;
        }
        switch (msg) {
            case Request r -> serve(r);
            case Raw r -> {
                if (r.malformed()) {
                    session.badMessage(r.reason());
                } else {
                    notSupported();
                }
            }
            case Response r -> notSupported();
            case Notification n -> notSupported();
            case BrokerMessage b -> notSupported();
            case SocketMessage s -> notSupported();
        }
    }

    private void serve(Request r) {
        ControlWriter out = session.writer();
        switch (r) {
            case Mread m -> out.send(Mdata.of(m.addr(), session.vmem().read(m.addr(), m.len())));
            case Mwrite m -> {
                session.vmem().write(m.addr(), m.data());
                out.send(Result.ok());
            }
            case Nopen n -> {
                Opened o = session.sockets().open(n);
                out.send(Result.of(o.status()));
                if (o.afterResult() != null) {
                    o.afterResult().run();
                }
            }
            case Nclose n -> out.send(Result.of(session.sockets().close(n)));
            case Nsend n -> out.send(Result.of(session.sockets().send(n)));
            case Nctl n -> out.send(Result.of(session.sockets().control(n)));
            case Ncap n -> out.send(Result.of(session.sockets().capture(n)));
            case Yield y -> {
                session.log().info("controller {}: yield until {}", session.peer(), Long.toUnsignedString(y.rhint()));
                session.endWith(Result.ok(), new SessionOutcome.Yielded(y.rhint()));
            }
            case Cdata c -> notSupported();
            case Start s -> notSupported();
            case End e -> notSupported();
            case Cont c -> notSupported();
            case Xcert x -> notSupported();
            case Xpub x -> notSupported();
            case Xsub x -> notSupported();
            case Xreg x -> notSupported();
        }
    }

    private void notSupported() {
        session.writer().send(Result.of(Status.ECTLNOTSUP));
    }
}
