package org.packetlab.mlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.HashedWheelTimer;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Result;
import org.packetlab.wire.Vmem;

/** Blocking calls end at their timeouts through the host's deadline timer ({@link EndpointSessions#deadlines}). */
@Timeout(10)
class DeadlinesTest {

    private final List<Thread> timerThreads = new CopyOnWriteArrayList<>();
    private final ThreadFactory recorded = r -> {
        Thread t = new Thread(r, "test-deadlines");
        t.setDaemon(true);
        timerThreads.add(t);
        return t;
    };
    private final HashedWheelTimer timer = (HashedWheelTimer) EndpointSessions.newDeadlines(recorded);
    private ScriptedTransport transport;

    @AfterEach
    void stop() {
        if (transport != null) {
            transport.close();
        }
        timer.stop();
    }

    @Test
    void anUnansweredCallTimesOutOnTheHostsTimer() {
        transport = ScriptedTransport.answering(m -> List.of());
        EndpointSession ep = transport.open(EndpointSessions.defaults().timeout(Duration.ofMillis(150)).deadlines(timer));

        long start = System.nanoTime();
        assertThatThrownBy(() -> ep.mread(Vmem.SYSPARAM_TIME, 8)).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("within PT0.15S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(timerThreads).as("the host's timer ran the deadline").hasSize(1);
    }

    @Test
    void answeredCallsCancelTheirDeadlines() throws Exception {
        transport = ScriptedTransport.answering(m -> m instanceof Mread r ? List.of(Mdata.of(r.addr(), new byte[r.len()])) : List.of());
        EndpointSession ep = transport.open(EndpointSessions.defaults().timeout(Duration.ofMinutes(1)).deadlines(timer));

        for (int i = 0; i < 200; i++) {
            assertThat(ep.mread(Vmem.SYSPARAM_TIME, 8)).hasSize(8);
        }
        // the wheel drops cancelled deadlines at its next tick: none of the 200 stays armed for its minute
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (timer.pendingTimeouts() > 0 && System.nanoTime() - giveUp < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(timer.pendingTimeouts()).isZero();
    }

    @Test
    void aReceiveTimesOutOnTheHostsTimer() throws Exception {
        transport = ScriptedTransport.answering(m -> List.of(Result.ok()));
        EndpointSession ep = transport.open(EndpointSessions.defaults().timeout(Duration.ofSeconds(5)).deadlines(timer));
        try (UdpSocket s = ep.udp()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.receive(Duration.ofMillis(120))).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        }
        assertThat(timerThreads).hasSize(1);
    }
}
