package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Status;
import org.packetlab.wire.Suspd;
import org.packetlab.wire.Yield;

/**
 * The experiment pool (the reference's deputy) over real TLS on loopback: descriptors name test
 * controllers; the pool runs one session at a time, the highest {@code exp_priority} first and
 * the most recent first among equals, suspends a running session for a strictly higher priority,
 * keeps a yielded entry until its time, and refuses what it cannot or should not run, saying why.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExperimentPoolTest {
    private final Credentials creds = new Credentials();
    private final LinkedBlockingQueue<PoolEntry> started = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<String> discarded = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<SessionOutcome> finished = new LinkedBlockingQueue<>();
    private final List<TestController> controllers = new ArrayList<>();
    private EventLoopGroup group;
    private Endpoint endpoint;
    private ExperimentPool pool;

    @BeforeEach
    void start() {
        group = Harness.newGroup();
        endpoint = Harness.endpointBuilder(creds, group).build();
        pool = ExperimentPool.builder(endpoint).listener(new ExperimentPool.Listener() {
            @Override
            public void discarded(NameValues xdescr, String reason) {
                discarded.add(reason);
            }

            @Override
            public void started(PoolEntry entry) {
                started.add(entry);
            }

            @Override
            public void finished(PoolEntry entry, SessionOutcome outcome) {
                finished.add(outcome);
            }
        }).build();
    }

    @AfterEach
    void close() throws Exception {
        pool.close();
        endpoint.close();
        for (TestController c : controllers) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private TestController controller() throws Exception {
        TestController c = TestController.start(group, creds.controller, creds.controllerChain(), List.of(creds.eopPublic()));
        controllers.add(c);
        return c;
    }

    private static NameValues xdescr(TestController c, String more) {
        // no sni_key: the test controllers answer without SNI
        return NameValues.parse(more + "controller_addr=127.0.0.1:" + c.address().getPort() + ";", NameValues.Syntax.XDESCR);
    }

    private PoolEntry nextStarted() throws InterruptedException {
        PoolEntry e = started.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(e).as("a session started").isNotNull();
        return e;
    }

    @Test
    void waitingExperimentsRunByPriorityThenMostRecentFirst() throws Exception {
        TestController a = controller();
        TestController b = controller();
        TestController c = controller();
        TestController d = controller();
        pool.offer(xdescr(a, "exp_priority=10;"));
        assertThat(nextStarted().priority()).isEqualTo(10);
        TestController.Conn first = a.accept();

        NameValues xb = xdescr(b, "exp_priority=5;");
        NameValues xc = xdescr(c, "exp_priority=9;");
        NameValues xd = xdescr(d, "exp_priority=5;");
        pool.offer(xb);
        pool.offer(xc);
        pool.offer(xd);
        // one session at a time, none of a higher priority than the running one: the three wait, best first
        assertThat(pool.waiting()).extracting(PoolEntry::xdescr).containsExactly(xc, xd, xb);
        assertThat(pool.running()).get().extracting(PoolEntry::priority).isEqualTo(10L);

        first.channel.close();
        assertThat(nextStarted().xdescr()).isEqualTo(xc);
        c.accept().channel.close();
        assertThat(nextStarted().xdescr()).isEqualTo(xd);
        d.accept().channel.close();
        assertThat(nextStarted().xdescr()).isEqualTo(xb);
        b.accept().channel.close();

        for (int i = 0; i < 4; i++) {
            assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
        }
        assertThat(pool.waiting()).isEmpty();
        assertThat(pool.sessionsStarted()).isEqualTo(4);
    }

    @Test
    void higherPriorityArrivalSuspendsTheRunningSessionWhichRunsAgainAfterwards() throws Exception {
        TestController a = controller();
        TestController b = controller();
        NameValues low = xdescr(a, "exp_priority=1;");
        NameValues high = xdescr(b, "exp_priority=2;");
        pool.offer(low);
        nextStarted();
        TestController.Conn first = a.accept();
        first.start();

        pool.offer(high);

        assertThat(nextStarted().xdescr()).isEqualTo(high);
        assertThat(first.next(Suspd.class)).isNotNull();
        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.Suspended.class);
        assertThat(pool.waiting()).extracting(PoolEntry::xdescr).containsExactly(low);
        b.accept().channel.close();
        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
        // the suspended experiment runs again from the start
        assertThat(nextStarted().xdescr()).isEqualTo(low);
        a.accept().channel.close();
        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
        assertThat(pool.sessionsStarted()).isEqualTo(3);
    }

    @Test
    void yieldedExperimentStaysAndRunsAgainAfterItsTime() throws Exception {
        TestController a = controller();
        pool.offer(xdescr(a, ""));
        nextStarted();
        TestController.Conn conn = a.accept();
        conn.start();
        assertThat(conn.status(new Yield(PktlabTime.now() + TimeUnit.MILLISECONDS.toNanos(200)))).isEqualTo(Status.SUCCESS);

        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.Yielded.class);
        // the same entry comes back by itself once the yield time is over
        nextStarted();
        a.accept().channel.close();
        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
        assertThat(pool.waiting()).isEmpty();
    }

    @Test
    void descriptorsThatCannotOrShouldNotRunAreRefusedWithTheReason() throws Exception {
        TestController a = controller();
        pool.offer(NameValues.parse("sni_key=abc;", NameValues.Syntax.XDESCR));
        assertThat(discarded.poll(5, TimeUnit.SECONDS)).isEqualTo("no controller_addr");
        pool.offer(NameValues.parse("controller_addr=127.0.0.1:1;sni_key=NOT-valid;", NameValues.Syntax.XDESCR));
        assertThat(discarded.poll(5, TimeUnit.SECONDS)).contains("is not a valid snikey");
        pool.offer(xdescr(a, "pub_end=" + (PktlabTime.now() - 1) + ";"));
        assertThat(discarded.poll(5, TimeUnit.SECONDS)).isEqualTo("pub_end has passed");

        NameValues running = xdescr(a, "");
        pool.offer(running);
        nextStarted();
        TestController.Conn conn = a.accept();
        pool.offer(running);
        assertThat(discarded.poll(5, TimeUnit.SECONDS)).isEqualTo("the same descriptor is already waiting or running");
        conn.channel.close();
        assertThat(finished.poll(TestController.WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(SessionOutcome.ControllerClosed.class);
        assertThat(pool.sessionsStarted()).isEqualTo(1);
        assertThat(pool.waiting()).isEmpty();
    }
}
