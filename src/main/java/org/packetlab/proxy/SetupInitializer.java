package org.packetlab.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.PacketLabFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one connection to the setup port, top to bottom: TLS (agent mode, the manager's
 * certificate optional), PacketLab framing that admits nothing longer than an {@code xreg}, the
 * message codec, and the registration handler, which later turns the connection into raw bytes.
 * Connections beyond the cap of registrations in progress are closed at once.
 */
final class SetupInitializer extends ChannelInitializer<SocketChannel> {
    private static final Logger log = LoggerFactory.getLogger(SetupInitializer.class);
    /** An xreg body is a snikey: at most 63 bytes. */
    static final int MAX_XREG_BODY = 63;

    private final SslContext tls;
    private final Registrar registrar;
    private final ChannelGroup channels;
    private final ProxyCounters counters;
    private final int maxRegistering;
    private final Duration timeout;

    SetupInitializer(SslContext tls, Registrar registrar, ChannelGroup channels, ProxyCounters counters,
            int maxRegistering, Duration timeout) {
        this.tls = tls;
        this.registrar = registrar;
        this.channels = channels;
        this.counters = counters;
        this.maxRegistering = maxRegistering;
        this.timeout = timeout;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        PendingSlot slot = PendingSlot.acquire(counters.registering, maxRegistering);
        if (slot == null) {
            counters.registrationsRefused.increment();
            log.warn("refused manager {}: {} registrations already in progress", ch.remoteAddress(), maxRegistering);
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> slot.release());
        SslHandler ssl = tls.newHandler(ch.alloc());
        ChannelPipeline p = ch.pipeline();
        p.addLast("tls", ssl);
        p.addLast(PacketLabCodec.FRAME_HANDLER, new PacketLabFrameDecoder(MAX_XREG_BODY));
        p.addLast(PacketLabCodec.CODEC_HANDLER, PacketLabCodec.INSTANCE);
        p.addLast("register", new RegistrationHandler(ssl, registrar, slot, RegistrationDeadline.start(ch, timeout), counters));
    }
}
