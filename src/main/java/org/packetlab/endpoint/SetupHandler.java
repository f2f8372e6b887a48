package org.packetlab.endpoint;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.packetlab.ppks.Digest;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Program;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;

/**
 * The setup phase of a session (spec/agents.md §C.6): only {@code cdata} and {@code start} are
 * served, within the setup deadline. On a successful {@code start} this handler replaces itself
 * with the {@link RequestHandler}.
 *
 * <h2>Monitors</h2>
 * WebAssembly monitors are not implemented. A listed, well-formed WASM monitor is therefore
 * refused with ECRTBADHDAT ("monitors not supported") rather than accepted and left unenforced, so
 * the following {@code start} fails with ECRTNOHDAT: the experiment is honestly refused. An eBPF
 * program under a monitor digest is accepted, as the reference does (it records and never runs
 * them); {@code filter} uploads always get ECRTBADHDAT (no filter is ever required in 1.1.0).
 */
final class SetupHandler extends SimpleChannelInboundHandler<Message> {
    private final Session session;
    private final Set<Digest> supplied = new HashSet<>();
    private ScheduledFuture<?> deadline;

    SetupHandler(Session session) {
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> {
            session.log().info("controller {}: no successful start within {}, disconnecting", session.peer(), session.settings().setupTimeout());
            session.end(new SessionOutcome.SetupTimedOut());
        }, session.settings().setupTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (session.isEnding()) {
            return;
        }
        switch (msg) {
            case Cdata c -> session.writer().send(Result.of(cdata(c)));
            case Start s -> start(ctx);
            case Raw r when r.malformed() -> session.badMessage(r.reason());
            default -> session.writer().send(Result.of(Status.ECTLNOTSUP));
        }
    }

    /** The §C.6 checks of a program upload, in order. */
    private Status cdata(Cdata c) {
        if (!c.hint().equals(Cdata.MONITOR) && !c.hint().equals(Cdata.FILTER)) {
            return Status.ECRTBADHINT;
        }
        byte[] data = c.data();
        Optional<Program> program = Program.tryDecode(data);
        if (program.isEmpty()) {
            return Status.ECRTBADHDAT;
        }
        Digest digest = Digest.sha256(data);
        if (c.hint().equals(Cdata.FILTER) || !session.limits().monitors().contains(digest)) {
            session.log().info("controller {}: cdata {} program {} is not listed in the chain: ECRTBADHDAT", session.peer(), c.hint(), digest);
            return Status.ECRTBADHDAT;
        }
        if (program.get().type() == Program.Type.WASM) {
            session.log().warn("controller {}: monitor {} refused: monitors not supported (WebAssembly monitors are not implemented): ECRTBADHDAT",
                    session.peer(), digest);
            return Status.ECRTBADHDAT;
        }
        supplied.add(digest);
        return Status.SUCCESS;
    }

    private void start(ChannelHandlerContext ctx) {
        List<Digest> missing = new ArrayList<>();
        for (Digest d : session.limits().monitors()) {
            if (!supplied.contains(d) && !missing.contains(d)) {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            String reason = "monitor programs not supplied or not supported: " + missing;
            session.log().warn("controller {}: start refused: {}", session.peer(), reason);
            session.endWith(Result.of(Status.ECRTNOHDAT), new SessionOutcome.StartRefused(Status.ECRTNOHDAT, reason));
            return;
        }
        session.writer().send(Result.ok());
        ctx.pipeline().replace(this, ControlChannels.SESSION_HANDLER, new RequestHandler(session));
        session.started();
        session.log().info("controller {}: session start", session.peer());
    }
}
