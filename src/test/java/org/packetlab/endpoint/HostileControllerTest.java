package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.End;
import org.packetlab.wire.Family;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.Yield;

/**
 * A controller that misbehaves (spec/agents.md §C.7, §C.15; wire-protocol.md §3.5): unknown and
 * unsupported types go on, malformed and oversized frames close only that session.
 */
@Timeout(60)
class HostileControllerTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void unknownAndUnsupportedTypesGetNotSupportedAndTheSessionGoesOn() throws Exception {
        try (Harness h = Harness.running(group)) {
            assertThat(h.conn.status(new Start())).isEqualTo(Status.ECTLNOTSUP);
            assertThat(h.conn.status(new Cdata("monitor", new byte[] {0}))).isEqualTo(Status.ECTLNOTSUP);
            assertThat(h.conn.status(new End())).as("end is not implemented: controllers close").isEqualTo(Status.ECTLNOTSUP);
            h.conn.send(Ntag.sent(1, 1, 0));
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLNOTSUP));
            h.conn.send(Result.ok());
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLNOTSUP));
            h.conn.sendBytes(new byte[] {0x26, 0, 0, 2, 1, 2}); // no message has type 0x26 (an old npoll, say)
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLNOTSUP));
            assertThat(h.conn.read(Vmem.SYSPARAM_HOSTID, 2)).isEqualTo("ep".getBytes());
        }
    }

    @Test
    void malformedRequestGetsBadMsgAndClosesOnlyThatSession() throws Exception {
        try (Harness bad = Harness.running(group); Harness good = Harness.running(group)) {
            assertThat(good.conn.status(Nopen.udp(1, Family.IPV4, 100))).isEqualTo(Status.SUCCESS);
            bad.conn.sendBytes(new byte[] {0x28, 0, 0, 6, 0x10, 0, 0, 0, 0, 0}); // mread of length 0
            assertThat(bad.conn.response()).isEqualTo(Result.of(Status.ECTLBADMSG));
            bad.conn.awaitClosed();
            assertThat(bad.awaitOutcome()).isInstanceOf(SessionOutcome.ProtocolViolation.class);
            assertThat(good.conn.call(Mread.of(Vmem.sktinfo(1, Vmem.SKT_STAT), 1))).isEqualTo(Mdata.of(Vmem.sktinfo(1, Vmem.SKT_STAT), new byte[] {2}));
            assertThat(good.endpoint.activeSessions()).isEqualTo(1);
        }
    }

    @Test
    void oversizedFrameGetsBadMsgAndClosesWithoutBufferingItsBody() throws Exception {
        try (Harness bad = Harness.running(group, b -> b.bufMax(1 << 20), l -> l); Harness good = Harness.running(group)) {
            bad.conn.sendBytes(new byte[] {0x2C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3});
            assertThat(bad.conn.response()).isEqualTo(Result.of(Status.ECTLBADMSG));
            bad.conn.awaitClosed();
            assertThat(bad.awaitOutcome()).isInstanceOfSatisfying(SessionOutcome.ProtocolViolation.class,
                    o -> assertThat(o.reason()).contains("16777215"));
            assertThat(good.conn.read(Vmem.SYSPARAM_HOSTID, 2)).isEqualTo("ep".getBytes());
        }
    }

    @Test
    void streamEndingInsideAMessageEndsTheSessionAsAConnectionFailure() throws Exception {
        try (Harness h = Harness.running(group)) {
            h.conn.sendBytes(new byte[] {0x28, 0, 0, 6, 0x10});
            h.conn.channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).sync();
            ((io.netty.channel.socket.SocketChannel) h.conn.channel).shutdownOutput().sync();
            assertThat(h.awaitOutcome()).isInstanceOfSatisfying(SessionOutcome.ConnectionFailed.class,
                    o -> assertThat(o.reason()).contains("ends inside a message"));
        }
    }

    @Test
    void yieldIsAnsweredThenTheEndpointDisconnects() throws Exception {
        try (Harness h = Harness.running(group)) {
            long until = PktlabTime.now() + TimeUnit.HOURS.toNanos(1);
            assertThat(h.conn.status(Nopen.udp(1, Family.IPV6, 100))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(new Yield(until))).isEqualTo(Status.SUCCESS);
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isEqualTo(new SessionOutcome.Yielded(until));
            assertThat(h.endpoint.openMeasurementChannels()).isZero();
        }
    }

    @Test
    void requestsStopBeingReadWhileResponsesPileUpAndAllArriveInOrderOnceTheControllerReads() throws Exception {
        try (Harness h = Harness.running(group)) {
            h.conn.channel.config().setAutoRead(false);
            int n = 400;
            for (int i = 0; i < n; i++) {
                h.conn.send(Mread.of(Vmem.SYSPARAM + i, 0xFFFF));
            }
            h.conn.channel.config().setAutoRead(true);
            for (int i = 0; i < n; i++) {
                assertThat(h.conn.response()).isInstanceOfSatisfying(Mdata.class, m -> assertThat(m.length()).isEqualTo(0xFFFF))
                        .extracting(r -> ((Mdata) r).addr()).isEqualTo(Vmem.SYSPARAM + i);
            }
        }
    }
}
