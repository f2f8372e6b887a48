package org.packetlab.manager;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.packetlab.mlet.SessionSink;
import org.packetlab.results.EndpointResult;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/**
 * The set-up of one endpoint connection, after TLS and before the mlet (spec/agents.md §A.4.2-§A.4.3):
 * one {@code cdata} per monitor program the chosen identity's chain names (each answered by
 * {@code result} 0), then {@code start} (answered by {@code result} 0), then a read of the host id
 * the endpoint exports, matched against the manager's pattern. Then it replaces itself with a
 * {@link SessionHandler}. Anything else — another message, a non-zero status, EOF, a framing error,
 * the deadline — refuses the endpoint with a logged reason and closes only this connection.
 *
 * <pre>
 *   manager                      endpoint
 *     cdata "monitor" prog  --&gt;
 *                           &lt;--  result 0          (per program)
 *     start                 --&gt;
 *                           &lt;--  result 0          (linfo may follow: logged)
 *     mread HOSTID 256      --&gt;
 *                           &lt;--  mdata
 * </pre>
 */
final class SetupHandler extends ChannelInboundHandlerAdapter {

    private enum Step { TLS, PROGRAMS, START, HOSTID, DONE }

    private final EndpointConnection<?> conn;
    private final SetupPlan plan;
    private Step step = Step.TLS;
    private String sni;
    private Deque<Cdata> programs;
    private Cdata inFlight;
    private ScheduledFuture<?> deadline;

    SetupHandler(EndpointConnection<?> conn, SetupPlan plan) {
        this.conn = conn;
        this.plan = plan;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(
                () -> refuse(ctx, "set-up not finished within " + text(plan.timeout()) + " (" + stepText() + ")", null),
                plan.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SniCompletionEvent e) {
            if (e.isSuccess()) {
                sni = e.hostname();
            } else {
                refuse(ctx, "TLS refused: " + Failures.describe(e.cause()), e.cause());
            }
        } else if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                programs = new ArrayDeque<>(plan.cdataFor(sni));
                step = Step.PROGRAMS;
                nextProgramOrStart(ctx);
            } else {
                refuse(ctx, "TLS handshake failed: " + Failures.describe(e.cause()), e.cause());
            }
        }
    }

    private void nextProgramOrStart(ChannelHandlerContext ctx) {
        inFlight = programs.poll();
        if (inFlight != null) {
            ctx.writeAndFlush(inFlight);
        } else {
            step = Step.START;
            ctx.writeAndFlush(new Start());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Message m = (Message) msg;
        if (m instanceof Linfo linfo) {
            LinfoLog.log(conn.endpoint(), linfo);
            return;
        }
        switch (step) {
            case PROGRAMS -> {
                if (m instanceof Result r && r.isOk()) {
                    nextProgramOrStart(ctx);
                } else {
                    refuse(ctx, "monitor program " + inFlight.program().map(p -> p.digestHex()).orElse("?")
                            + " not accepted: " + describe(m), null);
                }
            }
            case START -> {
                if (m instanceof Result r && r.isOk()) {
                    step = Step.HOSTID;
                    ctx.writeAndFlush(Mread.of(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE));
                } else {
                    refuse(ctx, "start not accepted: " + describe(m), null);
                }
            }
            case HOSTID -> {
                if (m instanceof Mdata d && d.addr() == Vmem.SYSPARAM_HOSTID) {
                    handOff(ctx, hostId(d.data()));
                } else {
                    refuse(ctx, "host id read not answered: " + describe(m), null);
                }
            }
            case TLS, DONE -> refuse(ctx, "unexpected " + describe(m) + " " + stepText(), null);
        }
    }

    private void handOff(ChannelHandlerContext ctx, String hostId) {
        conn.hostId(hostId);
        if (plan.hostIdPattern().isPresent() && !NameValues.globMatches(plan.hostIdPattern().get(), hostId)) {
            step = Step.DONE;
            conn.refused(EndpointResult.Status.SKIPPED, "host id \"" + hostId + "\" does not match \"" + plan.hostIdPattern().get() + "\"", null);
            return;
        }
        step = Step.DONE;
        SessionHandler session = new SessionHandler(conn, ctx.channel());
        SessionSink sink = conn.startSession(session);
        if (sink == null) {
            return;
        }
        session.attach(sink);
        // later messages of this read, and all after it, go to the session
        ctx.pipeline().replace(this, "session", session);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        refuse(ctx, "the endpoint closed the connection " + stepText(), null);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refuse(ctx, Failures.describe(cause) + " " + stepText(), cause);
    }

    private void refuse(ChannelHandlerContext ctx, String reason, Throwable cause) {
        if (step == Step.DONE) {
            return;
        }
        step = Step.DONE;
        deadline.cancel(false);
        conn.refused(EndpointResult.Status.REFUSED, reason, cause);
        ctx.close();
    }

    private String stepText() {
        return switch (step) {
            case TLS -> "during the TLS handshake";
            case PROGRAMS -> "while submitting monitor programs";
            case START -> "while waiting for the result of start";
            case HOSTID -> "while reading the host id";
            case DONE -> "after set-up";
        };
    }

    private static String text(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The host id in vmem: text up to the first NUL. */
    static String hostId(byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return new String(field, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A message named for a log line, without its payload. */
    static String describe(Message m) {
        return switch (m) {
            case Result r -> "result " + Status.nameOf(r.errid());
            case Raw r when r.malformed() -> "malformed " + r.knownType().map(t -> t.name().toLowerCase(Locale.ROOT)).orElse("message")
                    + " (" + r.reason() + ")";
            case Raw r -> String.format(Locale.ROOT, "message of unknown type 0x%02x (%d bytes: %s)", r.typeCode(), r.bodyLength(),
                    HexFormat.of().formatHex(r.bytes(), 0, Math.min(r.bytes().length, 16)));
            default -> m.type().name().toLowerCase(Locale.ROOT);
        };
    }
}
