package org.packetlab.mlet;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.wire.Family;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Ndrop;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.NstatCode;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.PktlabTime;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Suspd;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.Yield;

@Timeout(10)
class EndpointSessionTest {

    private static final InetSocketAddress WEB = new InetSocketAddress("127.0.0.1", 80);
    private static final long T0 = 1_795_633_586_868_014_894L;

    private ScriptedTransport transport;

    @AfterEach
    void closeTransport() {
        if (transport != null) {
            transport.close();
        }
    }

    /** A session whose endpoint answers every request with success (mread with zeros). */
    private EndpointSession session(Function<Message, List<Message>> script) {
        return session(script, EndpointSessions.defaults().timeout(Duration.ofSeconds(5)));
    }

    private EndpointSession session(Function<Message, List<Message>> script, EndpointSessions sessions) {
        transport = ScriptedTransport.answering(script);
        return transport.open(sessions);
    }

    private static List<Message> ok(Message request) {
        return switch (request) {
            case Mread r -> List.of(Mdata.of(r.addr(), new byte[r.len()]));
            default -> List.of(Result.ok());
        };
    }

    private static Ndata tcpData(int sktid, long time, String text) {
        return Ndata.tcp(sktid, Family.IPV4, time, text.getBytes(US_ASCII));
    }

    @Test
    void responsesAreMatchedToRequestsInOrderAcrossThreads() throws Exception {
        EndpointSession ep = session(m -> {
            Mread r = (Mread) m;
            return List.of(Mdata.of(r.addr(), ByteBuffer.allocate(r.len()).putInt((int) r.addr()).array()));
        });
        int threads = 8;
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            long addr = Vmem.SKTINFO + i * 16L;
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    for (int k = 0; k < 20; k++) {
                        byte[] got = ep.mread(addr, 4);
                        if (ByteBuffer.wrap(got).getInt() != (int) addr) {
                            f.completeExceptionally(new AssertionError("read at " + addr + " got another request's answer"));
                            return;
                        }
                    }
                    f.complete(ep.mread(addr, 4));
                } catch (Exception e) {
                    f.completeExceptionally(e);
                }
            });
            reads.add(f);
        }
        go.countDown();
        for (int i = 0; i < threads; i++) {
            assertThat(ByteBuffer.wrap(reads.get(i).get(5, TimeUnit.SECONDS)).getInt()).isEqualTo((int) (Vmem.SKTINFO + i * 16L));
        }
        assertThat(transport.sent()).hasSize(threads * 21);
    }

    @Test
    void notificationsBetweenResponsesAreNeverTakenAsResponses() throws Exception {
        EndpointSession ep = session(m -> m instanceof Mread r ? List.of(
                new Ntag(7, 99, T0, 0),
                Nstat.of(9, Family.IPV4, Proto.TCP, T0, NstatCode.RESET),
                tcpData(9, T0, "stray"),
                Nblock.of(9, Family.IPV4, Proto.TCP, 3, T0),
                new Ndrop(9, 4, 6, T0, T0, 1, 10),
                Linfo.monitor(0, "hello".getBytes(US_ASCII)),
                Raw.unknown(new byte[] {0x7F, 0, 0, 0}),
                Mdata.of(r.addr(), new byte[] {42})) : List.of(Result.ok()));
        assertThat(ep.mread(Vmem.SYSPARAM_IP4NO, 1)).containsExactly(42);
        assertThat(ep.mread(Vmem.SYSPARAM_IP4NO, 1)).containsExactly(42);
        transport.drain();
        assertThat(transport.isClosed()).isFalse();
    }

    @Test
    void refusedNopenThrowsTheStatusAndFreesTheSocketId() throws Exception {
        List<Message> answers = new ArrayList<>(List.of(Result.of(Status.ESKTOPNDENY), Result.ok()));
        EndpointSession ep = session(m -> List.of(answers.removeFirst()));
        assertThatThrownBy(() -> ep.tcp(WEB))
                .isInstanceOfSatisfying(PacketLabException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.ESKTOPNDENY);
                    assertThat(e.errid()).isEqualTo(0x3A);
                    assertThat(e).hasMessageContaining("nopen sktid 1 TCP to /127.0.0.1:80");
                });
        TcpSocket s = ep.tcp(WEB);
        assertThat(s.sktid()).isEqualTo(1);
        assertThat(transport.sent()).containsExactly(
                Nopen.tcp(1, WEB, SocketOptions.DEFAULT_RBUFSZ), Nopen.tcp(1, WEB, SocketOptions.DEFAULT_RBUFSZ));
    }

    @Test
    void monitorRefusalCarriesTheMonitorFields() throws Exception {
        EndpointSession ep = session(m -> List.of(Result.monitorRejected(2, 7)));
        assertThatThrownBy(() -> ep.udp()).isInstanceOfSatisfying(PacketLabException.class, e -> {
            assertThat(e.status()).isEqualTo(Status.ECTLMONREJ);
            assertThat(e.result().monindx()).isEqualTo(2);
            assertThat(e.result().monerrid()).isEqualTo(7);
        });
    }

    @Test
    void mreadAnsweredWithAResultThrowsInsteadOfHanging() {
        EndpointSession ep = session(m -> List.of(Result.of(Status.EMEMBADADR)));
        assertThatThrownBy(() -> ep.mread(Vmem.NSENDTSTP, 8))
                .isInstanceOfSatisfying(PacketLabException.class, e -> assertThat(e.status()).isEqualTo(Status.EMEMBADADR));
    }

    @Test
    void aTimedOutRequestKeepsItsPlaceSoLaterAnswersStayMatched() throws Exception {
        List<Message> queued = new ArrayList<>();
        EndpointSession ep = session(m -> {
            Mread r = (Mread) m;
            // the first request gets no answer now; its answer comes late, just before the second's
            if (r.addr() == Vmem.SYSPARAM_TIME) {
                queued.add(Mdata.of(r.addr(), new byte[8]));
                return List.of();
            }
            List<Message> out = new ArrayList<>(queued);
            out.add(Mdata.of(r.addr(), new byte[] {1, 2}));
            return out;
        });
        ep.timeout(Duration.ofMillis(100));
        assertThatThrownBy(() -> ep.mread(Vmem.SYSPARAM_TIME, 8)).isInstanceOf(SocketTimeoutException.class);
        assertThat(ep.mread(Vmem.SYSPARAM_IP4NO, 2)).containsExactly(1, 2);
    }

    @Test
    void theDefaultTimeoutCanBeChanged() {
        EndpointSession ep = session(m -> List.of());
        ep.timeout(Duration.ofMillis(200));
        assertThat(ep.timeout()).isEqualTo(Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThatThrownBy(ep::clock).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> ep.timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interruptingTheMletThreadAbortsABlockedReceivePromptly() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        UdpSocket s = ep.udp();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                s.receive(Duration.ofMinutes(1));
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            } finally {
                done.countDown();
            }
        });
        awaitState(t, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        t.interrupt();
        assertThat(done.await(2, TimeUnit.SECONDS)).isTrue();
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class).isNotInstanceOf(SocketTimeoutException.class);
        assertThat(flag.get()).isTrue();
    }

    @Test
    void interruptingTheMletThreadAbortsAWaitForAnAnswer() throws Exception {
        EndpointSession ep = session(m -> List.of());
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                ep.mread(Vmem.SYSPARAM_TIME, 8);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        transport.nextSent();
        awaitState(t, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        t.interrupt();
        assertThat(thrown.get(2, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
    }

    @Test
    void anInterruptedThreadSendsNothing() {
        EndpointSession ep = session(EndpointSessionTest::ok);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(ep::clock).isInstanceOf(InterruptedIOException.class);
            assertThat(transport.sent()).isEmpty();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void suspdEndsTheSessionWithASuspendedError() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        TcpSocket s = ep.tcp(WEB);
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                s.receive(Duration.ofMinutes(1));
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        transport.deliver(new Suspd());
        assertThat(thrown.get(2, TimeUnit.SECONDS)).isInstanceOf(SessionSuspendedException.class)
                .hasMessageContaining("suspended");
        transport.drain();
        assertThat(transport.isClosed()).isTrue();
        assertThatThrownBy(ep::clock).isInstanceOf(SessionSuspendedException.class);
        s.close();
    }

    @Test
    void lossOfTheTransportFailsWaitersWithTheCause() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nopen ? List.of(Result.ok()) : List.of());
        UdpSocket s = ep.udp();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                ep.clock();
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        transport.nextSent();
        transport.nextSent();
        IOException cause = new IOException("connection reset by peer");
        transport.end(cause);
        assertThat(thrown.get(2, TimeUnit.SECONDS)).isInstanceOf(SessionClosedException.class)
                .hasMessageContaining("connection reset by peer").hasCause(cause);
        assertThatThrownBy(() -> s.receive()).isInstanceOf(SessionClosedException.class);
        s.close();
        assertThat(transport.sent()).hasSize(2);
    }

    @Test
    void unreadDataBeyondTheSocketLimitFailsTheNextReceive() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok, EndpointSessions.defaults().socketQueueLimit(1000));
        TcpSocket s = ep.tcp(WEB);
        transport.deliver(tcpData(1, T0, "a".repeat(600)), tcpData(1, T0 + 1, "b".repeat(600)), tcpData(1, T0 + 2, "c"));
        transport.drain();
        assertThatThrownBy(() -> s.receive()).isInstanceOf(IOException.class).hasMessageContaining("more than 1000 bytes");
        assertThatThrownBy(() -> s.receive()).hasMessageContaining("more than 1000 bytes");
        // other sockets and the session go on
        assertThat(ep.mread(Vmem.SYSPARAM_TIME, 8)).hasSize(8);
    }

    @Test
    void dataWithinTheLimitIsReadInOrderWithEndpointTimes() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok, EndpointSessions.defaults().socketQueueLimit(1000));
        TcpSocket s = ep.tcp(WEB);
        for (int round = 0; round < 5; round++) {
            transport.deliver(tcpData(1, T0 + round, "x".repeat(800)));
            assertThat(s.receive().time()).isEqualTo(PktlabTime.toInstant(T0 + round));
        }
    }

    @Test
    void readUntilCloseCollectsEveryChunkUntilThePeerCloses() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        TcpSocket s = ep.tcp(WEB);
        transport.deliver(Nstat.established(1, T0, WEB), tcpData(1, T0 + 10, "HTTP/1.0 200 OK\r\n"),
                tcpData(1, T0 + 20, "\r\nbody"), Nstat.of(1, Family.IPV4, Proto.TCP, T0 + 30, NstatCode.PEERCLOSED));
        ReceivedStream r = s.readUntilClose();
        assertThat(new String(r.bytes(), US_ASCII)).isEqualTo("HTTP/1.0 200 OK\r\n\r\nbody");
        assertThat(r.chunks()).extracting(Received::time)
                .containsExactly(PktlabTime.toInstant(T0 + 10), PktlabTime.toInstant(T0 + 20));
        assertThat(r.lastTime()).isEqualTo(PktlabTime.toInstant(T0 + 20));
        assertThat(r.closedAt()).isEqualTo(PktlabTime.toInstant(T0 + 30));
        assertThatThrownBy(() -> s.receive()).isInstanceOf(EOFException.class);
        s.close();
        assertThat(transport.sent().getLast()).isEqualTo(Nclose.of(1));
    }

    @Test
    void aResetConnectionFailsReceiveWithTheState() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        TcpSocket s = ep.tcp(WEB);
        transport.deliver(Nstat.established(1, T0, WEB), tcpData(1, T0 + 1, "partial"),
                Nstat.of(1, Family.IPV4, Proto.TCP, T0 + 2, NstatCode.RESET));
        assertThat(s.receive().data()).isEqualTo("partial".getBytes(US_ASCII));
        assertThatThrownBy(() -> s.receive()).isInstanceOfSatisfying(SocketFailedException.class,
                e -> assertThat(e.state()).isEqualTo(SocketState.RESET));
        assertThatThrownBy(() -> s.readUntilClose()).isInstanceOf(SocketFailedException.class);
    }

    @Test
    void aSilentlyRefusedConnectIsFoundByPollingTheSocketState() throws Exception {
        long stateAddr = Vmem.sktinfo(1, Vmem.SKT_STAT);
        List<Long> reads = new ArrayList<>();
        EndpointSession ep = session(m -> {
            if (m instanceof Mread r) {
                reads.add(r.addr());
                // OPENING first, then REFUSED: no nstat ever comes (spec §8.2)
                byte state = (byte) (reads.size() == 1 ? SocketState.OPENING.code() : SocketState.REFUSED.code());
                return List.of(Mdata.of(r.addr(), new byte[] {state}));
            }
            return List.of(Result.ok());
        });
        TcpSocket s = ep.tcp(new InetSocketAddress("127.0.0.1", 9));
        assertThatThrownBy(s::awaitConnected).isInstanceOfSatisfying(SocketFailedException.class, e -> {
            assertThat(e.state()).isEqualTo(SocketState.REFUSED);
            assertThat(e.sktid()).isEqualTo(1);
        });
        assertThat(reads).containsExactly(stateAddr, stateAddr);
        assertThatThrownBy(s::receive).isInstanceOf(SocketFailedException.class);
        s.close();
    }

    @Test
    void anEstablishedNstatEndsTheConnectWaitWithoutPolling() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nopen
                ? List.of(Result.ok(), Nstat.established(1, T0, WEB)) : ok(m));
        TcpSocket s = ep.tcp(WEB);
        s.awaitConnected();
        assertThat(transport.sent()).hasSize(1);
    }

    @Test
    void aConnectWithoutNstatIsFoundOpenByPolling() throws Exception {
        EndpointSession ep = session(m -> m instanceof Mread r
                ? List.of(Mdata.of(r.addr(), new byte[] {(byte) SocketState.OPEN.code()})) : ok(m));
        TcpSocket s = ep.tcp(WEB);
        s.awaitConnected();
        assertThat(transport.sent()).hasSize(2);
    }

    @Test
    void sentAtIsTheEndpointTimeOfTheNtag() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nsend n
                ? List.of(Result.ok(), Ntag.sent(n.sktid(), n.tag(), T0 + n.tag())) : ok(m));
        TcpSocket s = ep.tcp(WEB);
        Sent a = s.send("one".getBytes(US_ASCII));
        Sent b = s.send("two".getBytes(US_ASCII));
        Sent c = s.send("three".getBytes(US_ASCII), SendOptions.defaults().tag(1234).at(Instant.ofEpochSecond(2_000_000_000)));
        assertThat(a.tag()).isNotEqualTo(b.tag());
        assertThat(a.sentAt()).isEqualTo(PktlabTime.toInstant(T0 + a.tag()));
        assertThat(b.sentAt()).isEqualTo(PktlabTime.toInstant(T0 + b.tag()));
        assertThat(c.sentAt()).isEqualTo(PktlabTime.toInstant(T0 + 1234));
        assertThat(transport.sent().getLast()).isEqualTo(
                Nsend.tcp(1, Family.IPV4, 2_000_000_000L * 1_000_000_000L, 1234, "three".getBytes(US_ASCII)));
    }

    @Test
    void aSendTheEndpointGaveUpOnReportsItsStatus() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nsend n
                ? List.of(Result.ok(), Ntag.of(n.sktid(), n.tag(), T0, Status.EPKTNOTSENT)) : ok(m));
        Sent sent = ep.tcp(WEB).send(new byte[] {1});
        assertThatThrownBy(sent::sentAt).isInstanceOfSatisfying(PacketLabException.class,
                e -> assertThat(e.status()).isEqualTo(Status.EPKTNOTSENT));
    }

    @Test
    void untaggedSendsAskForNoNtag() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        Sent sent = ep.tcp(WEB).send(new byte[] {1}, SendOptions.defaults().untagged());
        assertThat(sent.tag()).isZero();
        assertThat(((Nsend) transport.sent().getLast()).tag()).isZero();
        assertThatThrownBy(sent::sentAt).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ntagsForUnknownTagsOrOtherSocketsAreIgnored() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nsend n
                ? List.of(Result.ok(), Ntag.sent(n.sktid(), 0xFFFF, T0), Ntag.sent(n.sktid() + 1, n.tag(), T0),
                        Ntag.sent(n.sktid(), n.tag(), T0 + 5)) : ok(m));
        Sent sent = ep.tcp(WEB).send(new byte[] {1});
        assertThat(sent.sentAt()).isEqualTo(PktlabTime.toInstant(T0 + 5));
    }

    @Test
    void aRefusedSendThrowsItsStatus() throws Exception {
        EndpointSession ep = session(m -> m instanceof Nsend ? List.of(Result.of(Status.ESYSNOBUFS)) : ok(m));
        TcpSocket s = ep.tcp(WEB);
        assertThatThrownBy(() -> s.send(new byte[10])).isInstanceOfSatisfying(PacketLabException.class,
                e -> assertThat(e.status()).isEqualTo(Status.ESYSNOBUFS));
    }

    @Test
    void closingASocketFailsWaitsForItsSendsAndFreesItsId() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        TcpSocket s = ep.tcp(WEB);
        Sent sent = s.send(new byte[] {1});
        s.close();
        s.close();
        assertThatThrownBy(sent::sentAt).isInstanceOf(IOException.class).hasMessageContaining("closed before");
        assertThatThrownBy(() -> s.send(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThat(ep.tcp(WEB).sktid()).isEqualTo(1);
        assertThat(transport.sent()).filteredOn(m -> m instanceof Nclose).hasSize(1);
    }

    @Test
    void closingASocketWakesItsReaderAtOnce() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        UdpSocket s = ep.udp();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                s.receive(Duration.ofMinutes(1));
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
            }
        });
        awaitState(t, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        s.close();
        assertThat(thrown.get(2, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessageContaining("was closed");
    }

    @Test
    void socketIdsAreChosenFromOneAndExplicitIdsMustBeFree() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        assertThat(ep.tcp(WEB).sktid()).isEqualTo(1);
        assertThat(ep.udp().sktid()).isEqualTo(2);
        assertThat(ep.udp(SocketOptions.defaults().sktid(0)).sktid()).isZero();
        assertThatThrownBy(() -> ep.tcp(WEB, SocketOptions.defaults().sktid(2))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sktid 2");
        for (int i = 3; i < 256; i++) {
            ep.udp();
        }
        assertThatThrownBy(ep::udp).isInstanceOf(IllegalStateException.class).hasMessageContaining("256");
    }

    @Test
    void shutdownOutputSendsAFin() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        TcpSocket s = ep.tcp(new InetSocketAddress("::1", 80), SocketOptions.defaults().sktid(5).rbufsz(0x1000));
        s.shutdownOutput();
        assertThat(transport.sent()).containsExactly(
                Nopen.tcp(5, new InetSocketAddress("::1", 80), 0x1000), Nctl.fin(5, Family.IPV6, 0));
    }

    @Test
    void udpSendsGoToTheirDestinationAndDatagramsCarryTheirSource() throws Exception {
        InetSocketAddress dns = new InetSocketAddress("127.0.0.1", 53);
        EndpointSession ep = session(EndpointSessionTest::ok);
        UdpSocket s = ep.udp("127.0.0.1", 53);
        s.send("q".getBytes(US_ASCII));
        s.send(new InetSocketAddress("127.0.0.2", 5353), "r".getBytes(US_ASCII));
        assertThatThrownBy(() -> s.send(new InetSocketAddress("::1", 53), new byte[1])).isInstanceOf(IllegalArgumentException.class);
        transport.deliver(Ndata.udp(1, T0, dns, "answer".getBytes(US_ASCII)));
        Datagram d = s.receive();
        assertThat(d.source()).isEqualTo(dns);
        assertThat(d.data()).isEqualTo("answer".getBytes(US_ASCII));
        assertThat(d.time()).isEqualTo(PktlabTime.toInstant(T0));
        List<Message> sent = transport.sent();
        assertThat(sent.get(0)).isEqualTo(Nopen.udp(1, Family.IPV4, SocketOptions.DEFAULT_RBUFSZ));
        assertThat(((Nsend) sent.get(1)).destination()).contains(dns);
        assertThat(((Nsend) sent.get(2)).destination()).contains(new InetSocketAddress("127.0.0.2", 5353));
        assertThatThrownBy(() -> ep.udp().send(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBlockedDatagramIsReportedAndTheNextOneStillArrives() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        UdpSocket s = ep.udp();
        transport.deliver(Nblock.of(1, Family.IPV4, Proto.UDP, 7, T0),
                Ndata.udp(1, T0 + 1, new InetSocketAddress("127.0.0.1", 53), new byte[] {9}));
        assertThatThrownBy(s::receive).hasMessageContaining("monitor error 7");
        assertThat(s.receive().data()).containsExactly(9);
    }

    @Test
    void anUnsolicitedResponseIsAProtocolViolationThatEndsTheSession() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        transport.deliver(Result.ok());
        transport.drain();
        assertThat(transport.isClosed()).isTrue();
        assertThatThrownBy(ep::clock).isInstanceOf(SessionClosedException.class).hasMessageContaining("protocol violation");
    }

    @Test
    void mdataAnsweringAnotherRequestIsAProtocolViolation() throws Exception {
        EndpointSession ep = session(m -> List.of(Mdata.of(Vmem.SYSPARAM_TIME, new byte[8])));
        assertThatThrownBy(ep::udp).isInstanceOf(SessionClosedException.class).hasMessageContaining("protocol violation");
    }

    @Test
    void anUndecodableResponseFailsOnlyItsRequest() throws Exception {
        List<Message> answers = new ArrayList<>(List.of(
                Raw.malformed(new byte[] {0x40, 0, 0, 3, 0, 0, 0}, "result body of 3 bytes"), Result.ok()));
        EndpointSession ep = session(m -> List.of(answers.removeFirst()));
        assertThatThrownBy(() -> ep.mwrite(Vmem.sktinfo(1, Vmem.SKT_NOTIFMASK), new byte[2]))
                .isInstanceOf(IOException.class).isNotInstanceOf(SessionClosedException.class)
                .hasMessageContaining("undecodable");
        ep.mwrite(Vmem.sktinfo(1, Vmem.SKT_NOTIFMASK), new byte[2]);
        assertThat(transport.sent()).containsOnly(Mwrite.of(Vmem.sktinfo(1, Vmem.SKT_NOTIFMASK), new byte[2]));
    }

    @Test
    void yieldSendsTheTimeBeforeWhichTheEndpointStaysAway() throws Exception {
        EndpointSession ep = session(EndpointSessionTest::ok);
        Instant later = PktlabTime.toInstant(T0 + 60_000_000_000L);
        ep.yieldUntil(later);
        assertThat(transport.sent()).containsExactly(new Yield(T0 + 60_000_000_000L));
    }

    @Test
    void vmemHelpersDecodeWhatTheEndpointExports() throws Exception {
        VmemImage vmem = new VmemImage();
        vmem.put(Vmem.SYSPARAM_HOSTID, pad("lab-ep-1", Vmem.HOSTID_SIZE));
        vmem.put(Vmem.SYSPARAM_TIME, ByteBuffer.allocate(8).putLong(T0).array());
        vmem.put(Vmem.SYSPARAM_IP4NO, new byte[] {2, 1});
        vmem.put(Vmem.SYSPARAM_IP4LS, new byte[] {127, 0, 0, 1, (byte) 255, 0, 0, 0, 10, 1, 2, 3, (byte) 255, (byte) 255, (byte) 255, 0});
        vmem.put(Vmem.SYSPARAM_IP6LS, InetAddress.getByName("::1").getAddress());
        vmem.put(Vmem.SYSPARAM_IP4DNSNO, new byte[] {1, 0});
        vmem.put(Vmem.SYSPARAM_IP4DNSLS, new byte[] {127, 0, 0, 53});
        byte[] block = new byte[VmemValues.SOCKET_INFO_LENGTH];
        ByteBuffer b = ByteBuffer.wrap(block);
        b.put(Vmem.SKT_FAMILY, (byte) 4).put(Vmem.SKT_PROTO, (byte) 6).put(Vmem.SKT_STAT, (byte) SocketState.EOF.code());
        b.put(Vmem.SKT_LADDR, new byte[] {127, 0, 0, 1}).put(Vmem.SKT_RADDR, new byte[] {127, 0, 0, 2});
        b.putShort(Vmem.SKT_LPORT, (short) 40001).putShort(Vmem.SKT_RPORT, (short) 80);
        b.putInt(Vmem.SKT_RBUFSZ, 0x1000).putInt(Vmem.SKT_RBUFUSED, 12).putInt(Vmem.SKT_DROPSTAT_BYTES, 3)
                .putInt(Vmem.SKT_DROPSTAT_PACKETS, 1).put(Vmem.SKT_NSENDERR, (byte) 6).putShort(Vmem.SKT_NSENDERRTAG, (short) 1234)
                .putShort(Vmem.SKT_NOTIFMASK, (short) 0x0008);
        vmem.put(Vmem.sktinfo(3), block);
        EndpointSession ep = session(vmem::answer);
        assertThat(ep.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(ep.hostId()).isEqualTo("lab-ep-1");
        assertThat(ep.hostId()).isEqualTo("lab-ep-1");
        assertThat(ep.clockNanos()).isEqualTo(T0);
        assertThat(ep.clock()).isEqualTo(PktlabTime.toInstant(T0));
        assertThat(ep.localAddresses()).containsExactly(
                new LocalAddress(InetAddress.getByName("127.0.0.1"), OptionalInt.of(8)),
                new LocalAddress(InetAddress.getByName("10.1.2.3"), OptionalInt.of(24)),
                new LocalAddress(InetAddress.getByName("::1"), OptionalInt.empty()));
        assertThat(ep.localAddresses().get(1)).hasToString("10.1.2.3/24");
        assertThat(ep.dnsServers()).containsExactly(InetAddress.getByName("127.0.0.53"));
        SocketInfo info = ep.socketInfo(3);
        assertThat(info).isEqualTo(new SocketInfo(3, SocketState.EOF, Family.IPV4, Proto.TCP,
                new InetSocketAddress("127.0.0.1", 40001), new InetSocketAddress("127.0.0.2", 80), 0x1000, 12, 3, 1, 6, 1234, 8));
        assertThat(ep.socketInfo(4)).satisfies(free -> {
            assertThat(free.state()).isEqualTo(SocketState.FREE);
            assertThat(free.inUse()).isFalse();
            assertThat(free.family()).isNull();
        });
        // hostid is read once per session
        assertThat(transport.sent()).filteredOn(m -> ((Mread) m).addr() == Vmem.SYSPARAM_HOSTID).hasSize(1);
    }

    private static byte[] pad(String s, int size) {
        byte[] out = new byte[size];
        byte[] b = s.getBytes(US_ASCII);
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    /** Waits until {@code t} parks (is blocked in a wait), polling its state. */
    private static void awaitState(Thread t, Thread.State... states) throws InterruptedException {
        List<Thread.State> wanted = List.of(states);
        while (!wanted.contains(t.getState())) {
            Thread.onSpinWait();
            if (!t.isAlive()) {
                throw new AssertionError("thread ended before blocking");
            }
            Thread.yield();
        }
    }
}
