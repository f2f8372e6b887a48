package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.Digest;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Program;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.Yield;

/** The setup phase (spec/agents.md §C.6): only cdata and start, the deadline, the program checks. */
@Timeout(60)
class SetupPhaseTest {
    private static EventLoopGroup group;

    /** A well-formed WebAssembly module header (magic + version): decodes as a WASM program. */
    private static final Program WASM = Program.wasm(HexFormat.of().parseHex("0061736d01000000"));
    private static final Program EBPF = Program.ebpf(List.of(new Program.Instruction(0x95, 0, 0, 0, 0)));

    @BeforeAll
    static void startGroup() {
        group = Harness.newGroup();
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void startWithoutRequiredProgramsSucceedsAndRequestsAreServed() throws Exception {
        try (Harness h = Harness.setup(group)) {
            h.conn.start();
            assertThat(h.conn.read(Vmem.SYSPARAM_HOSTID, 7)).isEqualTo("ep-test".getBytes());
        }
    }

    @Test
    void requestsOtherThanCdataAndStartGetNotSupportedAndSetupGoesOn() throws Exception {
        try (Harness h = Harness.setup(group)) {
            assertThat(h.conn.status(new Yield(0))).isEqualTo(Status.ECTLNOTSUP);
            h.conn.send(Mread.of(Vmem.SYSPARAM_TIME, 8));
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLNOTSUP));
            h.conn.sendBytes(new byte[] {0x17, 0, 0, 1, 42});
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLNOTSUP));
            h.conn.start();
        }
    }

    @Test
    void cdataWithAnUnknownHintIsRefusedWithBadHint() throws Exception {
        try (Harness h = Harness.setup(group)) {
            assertThat(h.conn.status(new Cdata("Monitor", EBPF.encode()))).isEqualTo(Status.ECRTBADHINT);
            assertThat(h.conn.status(new Cdata("monitor ", EBPF.encode()))).isEqualTo(Status.ECRTBADHINT);
        }
    }

    @Test
    void cdataThatIsNotAProgramOrNotListedIsRefusedWithBadHdat() throws Exception {
        try (Harness h = Harness.setup(group)) {
            assertThat(h.conn.status(new Cdata("monitor", new byte[] {7, 1, 2}))).isEqualTo(Status.ECRTBADHDAT);
            assertThat(h.conn.status(new Cdata("monitor", new byte[] {0, 1, 2}))).isEqualTo(Status.ECRTBADHDAT);
            assertThat(h.conn.status(Cdata.monitor(EBPF))).as("not listed in the chain").isEqualTo(Status.ECRTBADHDAT);
            h.conn.start();
        }
    }

    @Test
    void filterUploadsAreAlwaysRefusedBecauseNoFilterIsEverRequired() throws Exception {
        try (Harness h = Harness.setup(group, b -> b, l -> l.filter(Digest.of(EBPF.digest())))) {
            assertThat(h.conn.status(Cdata.filter(EBPF))).isEqualTo(Status.ECRTBADHDAT);
            h.conn.start();
        }
    }

    @Test
    void listedEbpfMonitorIsAcceptedTwiceAndThenStartSucceeds() throws Exception {
        try (Harness h = Harness.setup(group, b -> b, l -> l.monitor(Digest.of(EBPF.digest())))) {
            assertThat(h.conn.status(Cdata.monitor(EBPF))).isEqualTo(Status.SUCCESS);
            assertThat(h.conn.status(Cdata.monitor(EBPF))).isEqualTo(Status.SUCCESS);
            h.conn.start();
        }
    }

    @Test
    void listedWasmMonitorIsRefusedHonestlySoStartFailsWithNoHdatAndCloses() throws Exception {
        try (Harness h = Harness.setup(group, b -> b, l -> l.monitor(Digest.of(WASM.digest())))) {
            assertThat(h.conn.status(Cdata.monitor(WASM))).as("monitors not supported").isEqualTo(Status.ECRTBADHDAT);
            assertThat(h.conn.status(new Start())).isEqualTo(Status.ECRTNOHDAT);
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isInstanceOfSatisfying(SessionOutcome.StartRefused.class,
                    o -> assertThat(o.status()).isEqualTo(Status.ECRTNOHDAT));
        }
    }

    @Test
    void startWithAMissingProgramFailsWithNoHdatAndCloses() throws Exception {
        try (Harness h = Harness.setup(group, b -> b, l -> l.monitor(Digest.of(EBPF.digest())))) {
            assertThat(h.conn.status(new Start())).isEqualTo(Status.ECRTNOHDAT);
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isInstanceOf(SessionOutcome.StartRefused.class);
        }
    }

    @Test
    void malformedMessageInSetupGetsBadMsgAndCloses() throws Exception {
        try (Harness h = Harness.setup(group)) {
            h.conn.sendBytes(new byte[] {0x21, 0, 0, 1, 0}); // start with a 1-byte body
            assertThat(h.conn.response()).isEqualTo(Result.of(Status.ECTLBADMSG));
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isInstanceOf(SessionOutcome.ProtocolViolation.class);
        }
    }

    @Test
    void setupNotCompletedInTimeDisconnectsSilently() throws Exception {
        try (Harness h = Harness.setup(group, b -> b.setupTimeout(Duration.ofMillis(300)), l -> l)) {
            h.conn.awaitClosed();
            assertThat(h.awaitOutcome()).isInstanceOf(SessionOutcome.SetupTimedOut.class);
            assertThat(h.conn.pending()).isEmpty();
        }
    }
}
