package org.packetlab.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Channel;
import org.packetlab.wire.ChannelList;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Status;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xsub;

/** A broker on 127.0.0.1 (ephemeral ports) with recorded events, and raw clients for it. */
final class BrokerHarness implements AutoCloseable {
    static final byte[] OK = {0x40, 0, 0, 0};

    final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final Events events = new Events();
    final Broker broker;

    BrokerHarness() throws Exception {
        this(b -> b);
    }

    BrokerHarness(UnaryOperator<Broker.Builder> config) throws Exception {
        broker = config.apply(Broker.builder()
                .identity(Creds.K_BRK, Creds.AGENT_BOP_BRK)
                .publicationAddress(new InetSocketAddress("127.0.0.1", 0))
                .subscriptionAddress(new InetSocketAddress("127.0.0.1", 0))
                .refusalDelay(Duration.ZERO)
                .threads(2)
                .listener(events)).start();
    }

    /** The result bytes refusing with {@code status}. */
    static byte[] refusal(Status status) {
        return new byte[] {0x40, 0, 0, 2, (byte) (status.code() >> 8), (byte) status.code()};
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static NameValues xdescr(String text) {
        return NameValues.parse(text, NameValues.Syntax.XDESCR);
    }

    static NameValues dattr(String text) {
        return NameValues.parse(text, NameValues.Syntax.DATTR);
    }

    /** An xpub of {@code xdescr} on the EOp's private channel, eopkey = EOp. */
    static Xpub xpubH(String xdescr) {
        return Xpub.of(ChannelList.of(Creds.H), Creds.K_EOP.publicKey().raw(), xdescr(xdescr));
    }

    /** An xpub on public channels with an all-zero eopkey. */
    static Xpub xpubPublic(String xdescr, Channel... channels) {
        return Xpub.of(ChannelList.of(channels), new byte[32], xdescr(xdescr));
    }

    static Xsub xsubPublic(String dattr, Channel... channels) {
        return Xsub.of(ChannelList.of(channels), new byte[32], dattr(dattr));
    }

    /** The notification bytes of {@code xdescr} on {@code channel}: 70, u24 length, chanlen, channel, xdescr. */
    static byte[] xnotify(Channel channel, String xdescr) {
        byte[] d = xdescr.getBytes(StandardCharsets.US_ASCII);
        int len = 1 + channel.length() + d.length;
        byte[] out = new byte[4 + len];
        out[0] = 0x70;
        out[1] = (byte) (len >> 16);
        out[2] = (byte) (len >> 8);
        out[3] = (byte) len;
        out[4] = (byte) channel.length();
        System.arraycopy(channel.id(), 0, out, 5, channel.length());
        System.arraycopy(d, 0, out, 5 + channel.length(), d.length);
        return out;
    }

    RawClient publisher() throws Exception {
        return RawClient.connect(loops, broker.publicationAddress(), Creds.controllerAgent());
    }

    RawClient subscriber(TlsIdentity identity) throws Exception {
        return RawClient.connect(loops, broker.subscriptionAddress(), identity);
    }

    /** A publisher that has published {@code xdescr} on H with the full chain (three successful results). */
    RawClient publishH(String xdescr) throws Exception {
        RawClient p = publisher();
        p.send(Xcert.of(Creds.PUBCMD_EXPER_XC.der()), Xcert.of(Creds.EXPPRIV_EOP_EXPER.der()), xpubH(xdescr));
        for (int i = 0; i < 3; i++) {
            assertThat(p.read(4)).as("result %d", i).containsExactly(OK);
        }
        Events.next(events.published);
        return p;
    }

    /** A publisher that has published {@code xdescr} on public channels (one successful result). */
    RawClient publishPublic(String xdescr, Channel... channels) throws Exception {
        RawClient p = publisher();
        p.send(xpubPublic(xdescr, channels));
        assertThat(p.read(4)).containsExactly(OK);
        Events.next(events.published);
        return p;
    }

    /** The endpoint subscribed to H with its subcmd chain, both results read. */
    RawClient subscribeH(String dattr) throws Exception {
        RawClient s = subscriber(Creds.endpointAgent());
        s.send(Xcert.of(Creds.SUBCMD_EOP_EP.der()),
                Xsub.of(ChannelList.of(Creds.H), Creds.K_EOP.publicKey().raw(), dattr(dattr)));
        assertThat(s.read(8)).containsExactly(0x40, 0, 0, 0, 0x40, 0, 0, 0);
        return s;
    }

    /** A fresh agent subscribed to public channels, its result read. */
    RawClient subscribePublic(String dattr, Channel... channels) throws Exception {
        RawClient s = subscriber(Creds.freshAgent());
        s.send(xsubPublic(dattr, channels));
        assertThat(s.read(4)).containsExactly(OK);
        return s;
    }

    @Override
    public void close() throws Exception {
        broker.close();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
}
