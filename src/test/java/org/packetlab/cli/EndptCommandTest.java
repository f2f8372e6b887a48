package org.packetlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.PktlabHome;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Message;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Mread;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.Result;
import org.packetlab.wire.Start;
import org.packetlab.wire.Vmem;
import org.packetlab.wire.WireCodec;

/** {@code pktlab endpt}: a NoSubMode endpoint of a {@code pktlab init} home against a minimal TLS controller. */
@Timeout(60)
class EndptCommandTest {
    @TempDir
    Path dir;

    private PktlabHome home() {
        PktlabHome h = PktlabHome.at(dir.resolve("home"));
        assertThat(HomeCommandsTest.run("init", "--home", h.dir().toString()).code()).isZero();
        return h;
    }

    @Test
    void servesOneExperimentOfTheInitHomeAndExitsZero() throws Exception {
        PktlabHome h = home();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<byte[]> hostId = new CompletableFuture<>();
        try {
            PpksTls.Server tls = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                    .defaultEntry(TlsIdentity.of(h.privateKey(PktlabHome.K_XC),
                            List.of(h.cert(PktlabHome.PUBCMD_EXPER_XC), h.cert(PktlabHome.EXPPRIV_EOP_EXPER))),
                            List.of(h.publicKey(PktlabHome.K_EOP)))
                    .build();
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler());
                            PacketLabCodec.addTo(ch.pipeline(), WireCodec.MAX_BODY);
                            ch.pipeline().addLast(new ScriptedController(hostId));
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            int port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
            HomeCommandsTest.Run r = HomeCommandsTest.run("endpt", "-c", h.endptConfFile().toString(), "127.0.0.1:" + port);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).isEqualTo("pktendpt: experiment ended: controller closed the session\n");
            assertThat(hostId.get(5, TimeUnit.SECONDS)).isEqualTo("pktendpt".getBytes());
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void unreachableControllerEndsTheRunWithExitZeroAsTheReference() throws Exception {
        PktlabHome h = home();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HomeCommandsTest.Run r = HomeCommandsTest.run("endpt", "-c", h.endptConfFile().toString(), "127.0.0.1:" + port);
        assertThat(r.code()).isZero();
        assertThat(r.err()).startsWith("pktendpt: experiment ended: controller unreachable: connect to 127.0.0.1:" + port);
    }

    @Test
    void monitorsAreRefusedClearly() throws Exception {
        Path wasm = Files.write(dir.resolve("m.wasm"), new byte[] {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0});
        HomeCommandsTest.Run r = HomeCommandsTest.run("endpt", "-c", home().endptConfFile().toString(), "-m", wasm.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("pktlab endpt: -m " + wasm + ": monitors not supported yet (WebAssembly monitors are not implemented)\n");
    }

    @Test
    void subscriptionModeWithoutTheOperatorKeyOfTheChainFailsClearly() throws Exception {
        PktlabHome h = home();
        Path conf = dir.resolve("sub.conf");
        Files.writeString(conf, Files.readString(h.endptConfFile()).replace("NoSubMode 1", "NoSubMode 0")
                .replace(h.publicKeyFile(PktlabHome.K_EOP).toString(), h.publicKeyFile(PktlabHome.K_EXPER).toString())
                + "BrokerAddr 127.0.0.1:20557\n");
        HomeCommandsTest.Run r = HomeCommandsTest.run("endpt", "-c", conf.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("pktlab endpt: no EndpointOpPubKeyPath key has the key id ")
                .endsWith(" that signed the last SubPrivCertChainPath certificate\n");
    }

    @Test
    void missingConfigurationFailsWithOneLine() {
        HomeCommandsTest.Run r = HomeCommandsTest.run("endpt", "-c", dir.resolve("none.conf").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("pktlab endpt: ").contains("none.conf").doesNotContain("\tat ");
        assertThat(r.err().lines()).hasSize(1);
    }

    /** Starts the experiment, reads the host id, and closes: the shortest experiment there is. */
    private static final class ScriptedController extends SimpleChannelInboundHandler<Message> {
        private final CompletableFuture<byte[]> hostId;

        ScriptedController(CompletableFuture<byte[]> hostId) {
            this.hostId = hostId;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent e && e.isSuccess()) {
                ctx.writeAndFlush(new Start());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
            switch (msg) {
                case Result r when r.isOk() -> ctx.writeAndFlush(Mread.of(Vmem.SYSPARAM_HOSTID, 8));
                case Mdata d -> {
                    hostId.complete(d.data());
                    ctx.close();
                }
                default -> {
                    hostId.completeExceptionally(new AssertionError("unexpected " + msg));
                    ctx.close();
                }
            }
        }
    }
}
