package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.Snikey;
import org.packetlab.wire.WireCodec;
import org.packetlab.wire.Xreg;

/** The manager's side of registration (spec/agents.md §A.7) against a scripted proxy and a real one. */
@Timeout(60)
class BacklogPoolTest {
    private static final byte[] PKTLAB = "PKTLAB".getBytes(StandardCharsets.US_ASCII);

    private final RelayHarness harness = new RelayHarness();
    private BacklogPool pool;
    private ServerSocket fakeProxy;

    @AfterEach
    void tearDown() throws IOException {
        if (pool != null) {
            pool.close();
        }
        if (fakeProxy != null) {
            fakeProxy.close();
        }
        harness.close();
    }

    private static SslContext fakeProxyTls() throws Exception {
        return PpksTls.server(VerifyMode.AGENT).defaultEntry(Creds.agent(Creds.K_PRX), List.of())
                .optionalAgentClientChain().build().context(Optional.empty()).orElseThrow();
    }

    /** A handoff that completes {@code first} with the first bytes the manager's pipeline receives. */
    private static BacklogPool.Handoff capturing(CompletableFuture<String> first) {
        return (snikey, ch) -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    first.complete(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                } finally {
                    ReferenceCountUtil.release(msg);
                }
                ctx.close();
            }
        });
    }

    private BacklogPool.Builder poolTo(InetSocketAddress proxy, Snikey snikey) {
        return BacklogPool.builder().proxy(proxy).snikeys(List.of(snikey)).target(1)
                .connTimeout(Duration.ofSeconds(5)).bootstrapTimeout(Duration.ofSeconds(20))
                .retryDelay(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** Accepts one connection as a TLS proxy, checks the xreg and answers {@code result}; returns the connection. */
    private EngineConnection acceptAndAnswer(Snikey snikey, byte[] result) throws Exception {
        EngineConnection p = EngineConnection.accepted(fakeProxy.accept(), fakeProxyTls());
        p.handshake();
        assertThat(p.readApplication()).isEqualTo(WireCodec.encode(Xreg.of(snikey)));
        p.writeApplication(result);
        return p;
    }

    @Test
    void managerSendsCloseNotifyAfterTheResultAndKeepsBytesAfterThePreambleForTheManager() throws Exception {
        fakeProxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Snikey snikey = Snikey.random();
        CompletableFuture<String> first = new CompletableFuture<>();
        pool = poolTo((InetSocketAddress) fakeProxy.getLocalSocketAddress(), snikey).handoff(capturing(first)).build();

        try (EngineConnection p = acceptAndAnswer(snikey, new byte[] {0x40, 0, 0, 0})) {
            byte[] alert = p.readRecord();
            assertThat(p.unwrap(alert)).isEmpty();
            assertThat(p.inboundDone()).as("the manager's next record is its close_notify").isTrue();
            // junk before the preamble is skipped, even a false start "PKP"; the endpoint's bytes follow at once
            p.writeRaw("xyzPKPPKTLABHELLO".getBytes(StandardCharsets.US_ASCII));
            assertThat(p.readRaw(6)).as("the manager's preamble").isEqualTo(PKTLAB);
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("HELLO");
        }
        assertThat(pool.stats().handedOff()).isEqualTo(1);
    }

    @Test
    void resultWithPayloadZeroIsAcceptedToo() throws Exception {
        fakeProxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Snikey snikey = Snikey.random();
        pool = poolTo((InetSocketAddress) fakeProxy.getLocalSocketAddress(), snikey).handoff(capturing(new CompletableFuture<>())).build();
        try (EngineConnection p = acceptAndAnswer(snikey, new byte[] {0x40, 0, 0, 2, 0, 0})) {
            p.unwrap(p.readRecord());
            p.writeRaw(PKTLAB);
            assertThat(p.readRaw(6)).isEqualTo(PKTLAB);
            Await.until("ready", () -> pool.ready(snikey) == 1);
        }
    }

    @Test
    void preambleRightAfterAPIsNotRecognisedAndTheStateTimesOut() throws Exception {
        fakeProxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Snikey snikey = Snikey.random();
        pool = poolTo((InetSocketAddress) fakeProxy.getLocalSocketAddress(), snikey).connTimeout(Duration.ofMillis(300))
                .handoff(capturing(new CompletableFuture<>())).build();
        try (EngineConnection p = acceptAndAnswer(snikey, new byte[] {0x40, 0, 0, 0})) {
            p.unwrap(p.readRecord());
            p.writeRaw("PPKTLAB".getBytes(StandardCharsets.US_ASCII));
            assertThat(p.readRawByte()).as("the manager gives up and closes").isEqualTo(-1);
        }
        assertThat(pool.stats().lastFailure()).hasValueSatisfying(f -> assertThat(f).contains("PREAMBLE_RECV"));
        assertThat(pool.ready(snikey)).isZero();
    }

    @Test
    void matcherRestartsWithoutRetestingTheMismatchingByte() {
        assertThat(scan("PKTLAB")).isEqualTo("");
        assertThat(scan("abcPKTLABrest")).isEqualTo("rest");
        assertThat(scan("PKPKTLABrest")).as("the second P is not retested").isNull();
        assertThat(scan("PPKTLAB")).isNull();
        assertThat(scan("PKPxPKTLAB!")).isEqualTo("!");
    }

    /** What is left after the preamble, or null when the matcher did not find it. */
    private static String scan(String s) {
        ByteBuf in = Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
        try {
            return new Preamble.Matcher().scan(in) ? in.toString(StandardCharsets.US_ASCII) : null;
        } finally {
            in.release();
        }
    }

    @Test
    void bootstrapFailsWithTheReasonWhenTheProxyCannotBeReached() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = (InetSocketAddress) s.getLocalSocketAddress();
        }
        pool = poolTo(nobody, Snikey.random()).bootstrapTimeout(Duration.ofMillis(500)).handoff(capturing(new CompletableFuture<>())).build();
        assertThatThrownBy(pool::bootstrap).isInstanceOf(IOException.class)
                .hasMessageContaining("bootstrap ended with no backlog connection").hasMessageContaining("cannot connect");
        Await.until("several attempts", () -> pool.stats().failures() >= 3);
        assertThat(pool.stats().outages()).as("one outage, however many attempts").isEqualTo(1);
    }

    @Test
    void poolSurvivesAProxyThatDisappearsAndReconnectsWhenItIsBack() throws Exception {
        Snikey snikey = Snikey.random();
        InetSocketAddress setup;
        InetSocketAddress endpoints;
        Proxy.Builder proxyBuilder = Proxy.builder().identity(Creds.agent(Creds.K_PRX))
                .setupListen(new InetSocketAddress("127.0.0.1", 0)).endpointListen(new InetSocketAddress("127.0.0.1", 0));
        try (Proxy first = proxyBuilder.build()) {
            setup = first.setupAddress();
            endpoints = first.endpointAddress();
            pool = poolTo(setup, snikey).target(2).handoff(harness.echoingManager(Creds.managerServer(snikey))).build();
            assertThat(pool.bootstrap()).containsEntry(snikey, 2);
        }
        Await.until("the pool notices", () -> pool.ready(snikey) == 0 && pool.stats().outages() == 1);
        long failuresInOutage = pool.stats().failures();
        Await.until("it keeps retrying", () -> pool.stats().failures() >= failuresInOutage + 2);

        try (Proxy second = proxyBuilder.setupListen(setup).endpointListen(endpoints).build()) {
            Await.until("the pool registers again", () -> pool.ready(snikey) == 2);
            assertThat(pool.stats().outages()).isEqualTo(1);
            byte[] echoed = harness.echo(second.endpointAddress(), Creds.endpointClient(snikey), new byte[] {4, 5, 6}).get(10, TimeUnit.SECONDS);
            assertThat(echoed).containsExactly(4, 5, 6);
        }
    }
}
