package org.packetlab.broker;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.packetlab.wire.PacketLabCodec;

/**
 * The pipeline of one broker connection, on either port: TLS (agent mode both ways, client
 * certificate required, SNI ignored), framing with an explicit maximum, the codec, the setup
 * timeout (removed once the client has published or subscribed), and the session.
 */
final class BrokerInitializer extends ChannelInitializer<SocketChannel> {
    static final String TLS = "tls";
    static final String SETUP_TIMEOUT = "setup-timeout";
    static final String SESSION = "session";

    private final SslContext tls;
    private final BrokerSettings settings;
    private final PublicationStore store;
    private final ChannelGroup connections;

    BrokerInitializer(SslContext tls, BrokerSettings settings, PublicationStore store, ChannelGroup connections) {
        this.tls = tls;
        this.settings = settings;
        this.store = store;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        SslHandler ssl = tls.newHandler(ch.alloc());
        ssl.setHandshakeTimeoutMillis(settings.setupTimeout().toMillis());
        ch.pipeline().addLast(TLS, ssl);
        PacketLabCodec.addTo(ch.pipeline(), Math.max(settings.maxCertificateBytes(), settings.maxRequestBytes()));
        // after the codec, so only whole messages count as activity: a trickle of bytes does not keep a connection
        ch.pipeline().addLast(SETUP_TIMEOUT, new IdleStateHandler(settings.setupTimeout().toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        ch.pipeline().addLast(SESSION, new BrokerSessionHandler(settings, store));
    }
}
