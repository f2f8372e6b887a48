package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.packetlab.wire.SpecExamplesTest.hex;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Netty frame decoder and shared codec, driven through an EmbeddedChannel. */
@Timeout(10)
class PacketLabCodecTest {

    /** An allocator that remembers the largest buffer anyone asked it for. */
    static final class LargestRequestAllocator extends AbstractByteBufAllocator {
        final AtomicInteger largest = new AtomicInteger();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest.accumulateAndGet(initialCapacity, Math::max);
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            largest.accumulateAndGet(initialCapacity, Math::max);
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static EmbeddedChannel channel(int maxBody) {
        EmbeddedChannel ch = new EmbeddedChannel();
        PacketLabCodec.addTo(ch.pipeline(), maxBody);
        return ch;
    }

    private static List<Message> readAllInbound(EmbeddedChannel ch) {
        List<Message> out = new ArrayList<>();
        for (Message m; (m = ch.readInbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    @Test
    void byteByByteInputWaitsForWholeMessagesAndDecodesTheReferenceStream() throws Exception {
        byte[] stream = ReferenceVectorsTest.resource("session-http-get/tls_leg.endpt2xpmgr.bin");
        EmbeddedChannel ch = channel(0x10000);
        List<Message> got = new ArrayList<>();
        int boundary = 0;
        List<Message> expected = WireCodec.decodeAll(stream);
        for (int i = 0; i < stream.length; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {stream[i]}));
            Message m = ch.readInbound();
            if (m != null) {
                got.add(m);
                boundary += WireCodec.encodedLength(m);
                assertThat(boundary).as("a message appears exactly when its last byte arrives").isEqualTo(i + 1);
            }
        }
        assertThat(got).isEqualTo(expected);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oversizeHeaderFailsAtOnceWithoutAllocatingForTheBody() {
        LargestRequestAllocator alloc = new LargestRequestAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        PacketLabCodec.addTo(ch.pipeline(), 1024);

        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(hex("62 ff ff ff"))))
                .isInstanceOfSatisfying(FrameTooLongException.class, e -> assertThat(e.length()).isEqualTo(16 * 1024 * 1024 - 1));
        assertThat(alloc.largest.get()).as("largest allocation").isLessThan(1024);

        // everything after the bad header is discarded: no frame, no second failure
        ch.writeInbound(Unpooled.wrappedBuffer(hex("40 00 00 00 40 00 00 00")));
        assertThat(ch.inboundMessages()).isEmpty();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void largeChunksOfABulkMessageAreKeptInsteadOfCopiedIntoAGrowingBuffer() {
        LargestRequestAllocator alloc = new LargestRequestAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        PacketLabCodec.addTo(ch.pipeline(), 0x10000 + 11);
        byte[] data = new byte[0x10000];
        new Random(5).nextBytes(data);
        Ndata bulk = Ndata.tcp(1, Family.IPV4, 9, data);
        byte[] frame = WireCodec.encode(bulk);
        int chunk = 16 * 1024;
        for (int off = 0; off < frame.length; off += chunk) {
            ch.writeInbound(Unpooled.copiedBuffer(frame, off, Math.min(chunk, frame.length - off)));
        }
        assertThat((Message) ch.readInbound()).isEqualTo(bulk);
        assertThat(alloc.largest.get()).as("largest allocation").isLessThan(chunk);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void messagesCutIntoAMixOfLargeAndTinyPiecesDecodeWhole() throws Exception {
        Random random = new Random(6);
        byte[] data = new byte[0x10000];
        random.nextBytes(data);
        List<Message> sent = List.of(Ndata.tcp(1, Family.IPV4, 1, data), Result.ok(), Nclose.of(3),
                Ndata.tcp(2, Family.IPV6, 2, Arrays.copyOf(data, 40000)), new Start(), Ndata.tcp(1, Family.IPV4, 3, data));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Message m : sent) {
            stream.write(WireCodec.encode(m));
        }
        byte[] bytes = stream.toByteArray();
        EmbeddedChannel ch = channel(0x10000 + 11);
        List<Message> got = new ArrayList<>();
        // runs of tiny pieces longer than MAX_PARTS between large ones
        for (int off = 0, tiny = 0; off < bytes.length; tiny--) {
            if (tiny <= 0 && random.nextBoolean()) {
                tiny = 1 + random.nextInt(3 * PacketLabFrameDecoder.MAX_PARTS);
            }
            int n = Math.min(bytes.length - off, tiny > 0 ? 1 + random.nextInt(8) : PacketLabFrameDecoder.SHARE_MIN + random.nextInt(20000));
            ch.writeInbound(Unpooled.copiedBuffer(bytes, off, n));
            off += n;
            got.addAll(readAllInbound(ch));
        }
        assertThat(got).isEqualTo(sent);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void headerJustAtTheMaximumIsAccepted() {
        EmbeddedChannel ch = channel(3);
        ch.writeInbound(Unpooled.wrappedBuffer(hex("99 00 00 03 01 02 03")));
        Raw raw = ch.readInbound();
        assertThat(raw.bodyLength()).isEqualTo(3);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void endOfInputInsideAMessageIsATruncatedFrame() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(Unpooled.wrappedBuffer(hex("40 00 00 00 2b 00 00 01")));
        assertThat((Message) ch.readInbound()).isEqualTo(Result.ok());
        assertThatThrownBy(ch::finish).isInstanceOf(TruncatedFrameException.class).hasMessageContaining("4 bytes");
    }

    @Test
    void malformedAndUnknownMessagesArriveAsValuesAndTheChannelStaysOpen() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(Unpooled.wrappedBuffer(hex("28 00 00 05 10 01 00 00 00  99 00 00 00  2b 00 00 01 07")));
        List<Message> got = readAllInbound(ch);
        assertThat(got).hasSize(3);
        assertThat(((Raw) got.get(0)).malformed()).isTrue();
        assertThat(((Raw) got.get(1)).malformed()).isFalse();
        assertThat(got.get(2)).isEqualTo(Nclose.of(7));
        assertThat(ch.isActive()).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void eachMessageLeavesAsOneExactlySizedBuffer() throws Exception {
        EmbeddedChannel ch = channel(1024);
        List<Message> messages = WireCodec.decodeAll(ReferenceVectorsTest.resource("session-dns/tls_leg.xpmgr2endpt.bin"));
        for (Message m : messages) {
            ch.writeOutbound(m);
        }
        for (Message m : messages) {
            ByteBuf buf = ch.readOutbound();
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                assertThat(bytes).isEqualTo(WireCodec.encode(m));
                assertThat(buf.capacity()).isEqualTo(bytes.length);
            } finally {
                buf.release();
            }
        }
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void oneCodecInstanceServesManyChannels() {
        EmbeddedChannel a = channel(64);
        EmbeddedChannel b = channel(64);
        assertThat(a.pipeline().get(PacketLabCodec.CODEC_HANDLER)).isSameAs(b.pipeline().get(PacketLabCodec.CODEC_HANDLER));
        assertThat(a.pipeline().get(PacketLabCodec.FRAME_HANDLER)).isNotSameAs(b.pipeline().get(PacketLabCodec.FRAME_HANDLER));
        a.writeInbound(Unpooled.wrappedBuffer(hex("21 00")));
        b.writeInbound(Unpooled.wrappedBuffer(hex("68 00 00 00")));
        a.writeInbound(Unpooled.wrappedBuffer(hex("00 00")));
        assertThat((Message) a.readInbound()).isEqualTo(new Start());
        assertThat((Message) b.readInbound()).isEqualTo(new Suspd());
        assertThat(a.finish()).isFalse();
        assertThat(b.finish()).isFalse();
    }

    @Test
    void frameDecoderRefusesAMaximumTheHeaderCannotExpress() {
        assertThatThrownBy(() -> new PacketLabFrameDecoder(WireCodec.MAX_BODY + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
