package org.packetlab.extmlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.WireCodec;

/** External mlet sessions against a scripted endpoint: the relay, the process's life, and the bad cases. */
@Timeout(30)
class ExternalSessionTest {

    private static final String HTTP = "/vectors/session-http-get/";

    /** Runs one session of {@code mlet} against {@code transport}; returns its outcome (report or exception). */
    private static Outcome run(ExternalMlet mlet, ScriptedTransport transport) throws Exception {
        try (ExternalMletHost host = mlet.start(); transport) {
            ExternalSession s = host.open(transport);
            transport.attach(s);
            Outcome o = Outcome.of(s);
            assertThat(transport.awaitClosed()).as("the relay closed the session").isTrue();
            return o;
        }
    }

    /** A session's outcome, waited for. */
    record Outcome(MletReport report, ExternalMletException failure) {
        static Outcome of(ExternalSession s) throws Exception {
            try {
                return new Outcome(s.outcome().toCompletableFuture().get(20, TimeUnit.SECONDS), null);
            } catch (java.util.concurrent.ExecutionException e) {
                return new Outcome(null, (ExternalMletException) e.getCause());
            }
        }

        MletReport ok() {
            assertThat(failure).as("the mlet failed").isNull();
            assertProcessReaped(report);
            return report;
        }

        ExternalMletException failed() {
            assertThat(report).as("the mlet succeeded").isNull();
            assertThat(failure).isNotNull();
            assertProcessReaped(failure.report());
            return failure;
        }
    }

    private static void assertProcessReaped(MletReport r) {
        if (r.pid() > 0) {
            assertThat(Path.of("/proc/" + r.pid())).as("no zombie left for pid " + r.pid()).doesNotExist();
        }
    }

    private static byte[] encodeAll(List<Message> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        messages.forEach(m -> out.writeBytes(WireCodec.encode(m)));
        return out.toByteArray();
    }

    @Test
    void httpGetWritesTheReferenceRequestsAndPrintsTheReferenceOutput() throws Exception {
        List<Message> toMlet = WireCodec.decodeAll(TestMlets.resource(HTTP + "mlet_leg.xpmgr2mlet.bin"));
        ScriptedTransport endpoint = ScriptedTransport.answering(ScriptedTransport.replay(toMlet));

        MletReport r = run(TestMlets.mlet("http_get", "127.0.0.1", "/index.html"), endpoint).ok();

        assertThat(encodeAll(new ArrayList<>(endpoint.sent))).isEqualTo(TestMlets.resource(HTTP + "mlet_leg.mlet2xpmgr.bin"));
        assertThat(r.stdout().bytes()).isEqualTo(TestMlets.resource(HTTP + "xpmgr.stdout.txt"));
        assertThat(r.exit()).contains(ExitStatus.exited(0));
        assertThat(r.messagesToEndpoint()).isEqualTo(3);
        assertThat(r.messagesToMlet()).isEqualTo(toMlet.size());
        assertThat(r.epaddr()).isEqualTo("127.0.0.1");
        assertThat(r.mlet()).isEqualTo("http_get");
    }

    @Test
    void vmemReadPrintsTheHostIdAndClockItRead() throws Exception {
        byte[] hostId = new byte[Vmem.HOSTID_SIZE];
        System.arraycopy("lab-host-7".getBytes(StandardCharsets.US_ASCII), 0, hostId, 0, 10);
        Function<Message, List<Message>> vmem = m -> {
            Mread r = (Mread) m;
            byte[] data = r.addr() == Vmem.SYSPARAM_HOSTID ? hostId : HexFormat.of().parseHex("000000000000beef");
            return List.of(new Mdata(r.addr(), data));
        };
        ScriptedTransport endpoint = ScriptedTransport.answering(vmem);

        MletReport r = run(TestMlets.mlet("vmem_read"), endpoint).ok();

        assertThat(new ArrayList<>(endpoint.sent)).containsExactly(new Mread(Vmem.SYSPARAM_HOSTID, Vmem.HOSTID_SIZE),
                new Mread(Vmem.SYSPARAM_TIME, 8));
        assertThat(r.output()).isEqualTo("hostid lab-host-7\nclock 48879\n");
    }

    @Test
    void endpointMessagesReachTheMletCanonicallyWithoutLinfo() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.silent();
        Raw unknown = Raw.unknown(HexFormat.of().parseHex("9a000002beef"));
        try (ExternalMletHost host = TestMlets.mlet("dump").start(); endpoint) {
            ExternalSession s = host.open(endpoint);
            endpoint.attach(s);
            endpoint.deliver(Linfo.monitor(0, "monitor says hello".getBytes(StandardCharsets.US_ASCII)));
            endpoint.deliver(Result.ok());
            endpoint.deliver(unknown);
            endpoint.deliver(Result.of(Status.ECTLNOTSUP.code()));
            endpoint.endpointCloses(null);
            MletReport r = Outcome.of(s).ok();

            assertThat(r.output()).isEqualTo("40000000\n9a000002beef\n400000020011\n");
            assertThat(r.messagesToMlet()).isEqualTo(3);
        }
    }

    @Test
    void messagesTheMletWritesReachTheEndpointDecodedWithUndecodableOnesVerbatim() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.silent();
        try (ExternalMletHost host = TestMlets.mlet("misbehave", "raw").start(); endpoint) {
            ExternalSession s = host.open(endpoint);
            endpoint.attach(s);
            Message first = endpoint.sent.poll(10, TimeUnit.SECONDS);
            Message second = endpoint.sent.poll(10, TimeUnit.SECONDS);
            endpoint.endpointCloses(null);

            assertThat(first).isInstanceOfSatisfying(Raw.class, raw -> {
                assertThat(raw.malformed()).isFalse();
                assertThat(raw.bytes()).isEqualTo(HexFormat.of().parseHex("9a000003616263"));
            });
            assertThat(second).isInstanceOfSatisfying(Raw.class, raw -> {
                assertThat(raw.malformed()).isTrue();
                assertThat(raw.bytes()).isEqualTo(HexFormat.of().parseHex("280000051000000001"));
            });
            assertThat(Outcome.of(s).ok().messagesToEndpoint()).isEqualTo(2);
        }
    }

    @Test
    void theMletGetsItsBaseNameArgumentsOnlyEpaddrAndOnlyFdsZeroToTwo() throws Exception {
        ScriptedTransport endpoint = new ScriptedTransport(new InetSocketAddress("::1", 40000), m -> List.of());
        try (ExternalMletHost host = TestMlets.mlet("showenv", "one", "two words").start(); endpoint) {
            ExternalSession s = host.open(endpoint);
            endpoint.attach(s);
            // showenv prints, then waits for EOF: the endpoint ends the session
            endpoint.endpointCloses(null);
            MletReport r = Outcome.of(s).ok();

            assertThat(r.output()).isEqualTo("argv showenv\nargv one\nargv two words\nenv EPADDR=::1\nfds 0 1 2\nfd0 socket\n");
        }
    }

    @Test
    void missingFileIsRefusedUpFront(@TempDir Path dir) {
        assertThatThrownBy(() -> ExternalMlet.of(dir.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mlet " + dir.resolve("nowhere") + " does not exist");
    }

    @Test
    void nonExecutableFileIsRefusedUpFront(@TempDir Path dir) throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        assertThatThrownBy(() -> ExternalMlet.of(plain))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not executable");
        assertThatThrownBy(() -> ExternalMlet.of(dir)).hasMessageContaining("is not a regular file");
    }

    @Test
    void fileGoneAfterValidationFailsOnlyThatSession(@TempDir Path dir) throws Exception {
        Path exe = dir.resolve("showenv");
        Files.copy(TestMlets.path("showenv"), exe);
        ExternalMlet mlet = ExternalMlet.of(exe).grace(Duration.ofMillis(300));
        try (ExternalMletHost host = mlet.start()) {
            Files.delete(exe);
            ScriptedTransport first = ScriptedTransport.silent();
            ExternalSession s1 = host.open(first);
            first.attach(s1);
            ExternalMletException e = Outcome.of(s1).failed();
            assertThat(e).hasMessageStartingWith("mlet showenv could not be started: cannot start " + exe)
                    .hasMessageContaining("No such file or directory");
            assertThat(first.awaitClosed()).isTrue();

            Files.copy(TestMlets.path("showenv"), exe);
            ScriptedTransport second = ScriptedTransport.silent();
            ExternalSession s2 = host.open(second);
            second.attach(s2);
            second.endpointCloses(null);
            assertThat(Outcome.of(s2).ok().output()).startsWith("argv showenv\n");
            first.close();
            second.close();
        }
    }

    @Test
    void garbageOnFdZeroFailsTheSessionAndKillsTheProcess() throws Exception {
        ExternalMletException e = run(TestMlets.mlet("misbehave", "garbage"), ScriptedTransport.silent()).failed();

        // the process gets SIGTERM and EOF at once: it ends by whichever it notices first
        assertThat(e.getMessage()).isIn(
                "mlet misbehave wrote a message header announcing 16777215 bytes on fd 0, over the 8388672-byte limit; killed with SIGTERM",
                "mlet misbehave wrote a message header announcing 16777215 bytes on fd 0, over the 8388672-byte limit");
        assertThat(e.report().exit().orElseThrow()).isIn(ExitStatus.killedBy(LibC.SIGTERM), ExitStatus.exited(0));
    }

    @Test
    void aMessageCutShortByEofFailsTheSession() throws Exception {
        ExternalMletException e = run(TestMlets.mlet("misbehave", "truncated"), ScriptedTransport.silent()).failed();

        assertThat(e).hasMessageStartingWith("mlet misbehave closed fd 0 inside a message");
        assertThat(e.report().exit()).contains(ExitStatus.exited(0));
    }

    @Test
    void aProcessThatNeverExitsIsKilledAfterTheGracePeriods() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.silent();
        try (ExternalMletHost host = TestMlets.mlet("misbehave", "hang").start(); endpoint) {
            ExternalSession s = host.open(endpoint);
            endpoint.attach(s);
            endpoint.endpointCloses(null);
            ExternalMletException e = Outcome.of(s).failed();

            assertThat(e).hasMessage("mlet misbehave did not exit within 300 ms after its session ended; killed with SIGKILL"
                    + " (stderr: misbehave: hanging)");
            assertThat(e.report().exit()).contains(ExitStatus.killedBy(LibC.SIGKILL));
            assertThat(e.report().runTime()).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void aProcessThatExitsAtOnceIsAnError() throws Exception {
        ExternalMletException e = run(TestMlets.mlet("misbehave", "exit", "7"), ScriptedTransport.silent()).failed();

        assertThat(e).hasMessage("mlet misbehave exited with status 7 before sending a message");
        assertThat(e.report().exit()).contains(ExitStatus.exited(7));
        assertThat(e.report().messagesToEndpoint()).isZero();
    }

    @Test
    void aCrashMidSessionIsReportedWithItsSignalAndStderr() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.answering(m -> List.of(Result.ok()));
        ExternalMletException e = run(TestMlets.mlet("crash", "8080"), endpoint).failed();

        assertThat(e).hasMessage("mlet crash was killed by SIGABRT (stderr: crash: nopen answered 0x0000, now crashing)");
        assertThat(e.report().messagesToEndpoint()).isEqualTo(1);
    }

    @Test
    void aNonZeroExitMidSessionIsReported() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.answering(m -> List.of(Result.of(Status.ECTLNOTSUP.code())));
        ExternalMletException e = run(TestMlets.mlet("crash", "8080", "3"), endpoint).failed();

        assertThat(e).hasMessage("mlet crash exited with status 3 (stderr: crash: nopen answered 0x0011, now crashing)");
    }

    @Test
    void cancelStopsTheProcessAndClosesTheSession() throws Exception {
        ScriptedTransport endpoint = ScriptedTransport.silent();
        try (ExternalMletHost host = TestMlets.mlet("misbehave", "silent").start(); endpoint) {
            ExternalSession s = host.open(endpoint);
            endpoint.attach(s);
            s.cancel();
            ExternalMletException e = Outcome.of(s).failed();

            assertThat(endpoint.awaitClosed()).isTrue();
            assertThat(e).hasMessageStartingWith("mlet misbehave was cancelled");
        }
    }

    @Test
    void capturedOutputIsBoundedAndMarkedTruncated() throws Exception {
        ExternalMlet flood = TestMlets.mlet("misbehave", "flood", "250000").outputLimit(1000);
        MletReport r = run(flood, ScriptedTransport.silent()).ok();

        assertThat(r.stdout().bytes()).hasSize(1000);
        assertThat(r.stdout().totalBytes()).isEqualTo(250_000);
        assertThat(r.stdout().isTruncated()).isTrue();
        assertThat(r.output()).endsWith("x\n[249000 more bytes not kept]");
    }

    @Test
    void closingTheHostEndsItsThreads() throws Exception {
        ExternalMletHost host = TestMlets.mlet("dump").start();
        host.close();
        assertThat(host.threadsEnded()).isTrue();
        assertThatThrownBy(() -> host.open(ScriptedTransport.silent())).isInstanceOf(IllegalStateException.class);
    }
}
