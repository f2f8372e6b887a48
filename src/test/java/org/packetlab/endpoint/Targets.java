package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.packetlab.wire.Family;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Vmem;

/** Helpers for tests that drive measurement sockets against loopback targets. */
final class Targets {
    private Targets() {}

    static InetAddress loopback(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(host, e);
        }
    }

    static Family family(String host) {
        return Family.of(loopback(host));
    }

    /** The state byte of socket {@code sktid} in vmem. */
    static SocketState state(TestController.Conn c, int sktid) throws InterruptedException {
        return SocketState.of(c.read(Vmem.sktinfo(sktid, Vmem.SKT_STAT), 1)[0]).orElseThrow();
    }

    /** Reads the socket's state until it is no longer {@code from} (an await by polling vmem, bounded by the test's timeout). */
    static SocketState awaitStateLeaves(TestController.Conn c, int sktid, SocketState from) throws InterruptedException {
        SocketState s;
        do {
            s = state(c, sktid);
        } while (s == from);
        return s;
    }

    /** Reads a u32 field of socket {@code sktid}'s block until {@code until} holds for it. */
    static long awaitU32(TestController.Conn c, int sktid, int offset, java.util.function.LongPredicate until) throws InterruptedException {
        long v;
        do {
            v = Bytes.u32(c.read(Vmem.sktinfo(sktid, offset), 4), 0);
        } while (!until.test(v));
        return v;
    }

    static void assertTimeWithin(long time, long before, long after) {
        assertThat(Long.compareUnsigned(time, before)).as("time %d not before %d", time, before).isGreaterThanOrEqualTo(0);
        assertThat(Long.compareUnsigned(time, after)).as("time %d not after %d", time, after).isLessThanOrEqualTo(0);
    }
}
