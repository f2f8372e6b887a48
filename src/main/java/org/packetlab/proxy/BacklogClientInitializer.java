package org.packetlab.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import org.packetlab.tls.PpksTls;
import org.packetlab.wire.PacketLabCodec;
import org.packetlab.wire.PacketLabFrameDecoder;

/**
 * The pipeline of one backlog connection while it registers, top to bottom: TLS as a client in
 * agent mode (no SNI), PacketLab framing that admits nothing longer than a {@code result}, the
 * message codec, and the registration handler.
 */
final class BacklogClientInitializer extends ChannelInitializer<SocketChannel> {
    /** A result body is at most errid, monindx and monerrid. */
    static final int MAX_RESULT_BODY = 6;

    private final PpksTls.Client tls;
    private final BacklogConnection conn;

    BacklogClientInitializer(PpksTls.Client tls, BacklogConnection conn) {
        this.tls = tls;
        this.conn = conn;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        SslHandler ssl = tls.newHandler(ch.alloc());
        ChannelPipeline p = ch.pipeline();
        p.addLast("tls", ssl);
        p.addLast(PacketLabCodec.FRAME_HANDLER, new PacketLabFrameDecoder(MAX_RESULT_BODY));
        p.addLast(PacketLabCodec.CODEC_HANDLER, PacketLabCodec.INSTANCE);
        p.addLast("register", new RegistrationClientHandler(ssl, conn));
    }
}
