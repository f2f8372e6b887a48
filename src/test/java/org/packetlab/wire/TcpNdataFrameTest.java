package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TCP ndata frame that shares a socket's buffer ({@link WireCodec#encodeTcpNdata}). */
@Timeout(10)
class TcpNdataFrameTest {

    /** An allocator that keeps every buffer it hands out, to check that all were released. */
    static final class RecordingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> given = new ArrayList<>();

        RecordingAllocator() {
            super(true);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return keep(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return keep(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
        }

        private ByteBuf keep(ByteBuf b) {
            given.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    /** A direct buffer as a socket read leaves it: {@code skip} bytes already read, then {@code length} readable bytes. */
    private static ByteBuf socketRead(int skip, int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(skip + length);
        buf.writeZero(skip).writeBytes(bytes).skipBytes(skip);
        return buf;
    }

    @ParameterizedTest
    @CsvSource({
            "0,   0,     IPV4, 0",
            "1,   1,     IPV4, 1",
            "7,   1000,  IPV6, 1767225600000000000",
            "255, 65521, IPV4, -1",
            "3,   65536, IPV6, 9223372036854775807",
    })
    void frameHasTheBytesOfTheEncodedRecord(int sktid, int length, Family family, long time) {
        ByteBuf data = socketRead(5, length, length);
        ByteBuf frame = WireCodec.encodeTcpNdata(UnpooledByteBufAllocator.DEFAULT, sktid, family, time, data);
        try {
            byte[] expected = WireCodec.encode(Ndata.tcp(sktid, family, time, data));
            assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(expected);
            assertThat(data.readableBytes()).as("the caller's buffer is left as it was").isEqualTo(length);
        } finally {
            frame.release();
            data.release();
        }
    }

    @Test
    void frameSharesTheDataInsteadOfCopyingIt() {
        ByteBuf data = socketRead(0, 64, 1);
        ByteBuf frame = WireCodec.encodeTcpNdata(UnpooledByteBufAllocator.DEFAULT, 1, Family.IPV4, 0, data);
        try {
            data.setByte(63, 0x5A);
            assertThat(frame.getByte(frame.writerIndex() - 1)).isEqualTo((byte) 0x5A);
        } finally {
            frame.release();
            data.release();
        }
    }

    @Test
    void frameHoldsItsOwnReferenceAndReleasingItReleasesEverythingItTook() {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf data = socketRead(0, 4096, 2);
        byte[] expected = WireCodec.encode(Ndata.tcp(9, Family.IPV4, 42, data));
        ByteBuf frame = WireCodec.encodeTcpNdata(alloc, 9, Family.IPV4, 42, data);
        assertThat(data.refCnt()).as("the frame retains the data").isEqualTo(2);
        data.release();
        assertThat(ByteBufUtil.getBytes(frame)).as("still intact after the caller let go").isEqualTo(expected);
        assertThat(alloc.given).isNotEmpty();
        frame.release();
        assertThat(data.refCnt()).isZero();
        assertThat(alloc.given).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }

    @Test
    void invalidSktidOrOversizeDataAllocatesNothingAndTakesNoReference() {
        RecordingAllocator alloc = new RecordingAllocator();
        ByteBuf data = socketRead(0, 16, 3);
        ByteBuf huge = UnpooledByteBufAllocator.DEFAULT.directBuffer(WireCodec.MAX_BODY).writerIndex(WireCodec.MAX_BODY);
        try {
            assertThatThrownBy(() -> WireCodec.encodeTcpNdata(alloc, 256, Family.IPV4, 0, data))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sktid");
            assertThatThrownBy(() -> WireCodec.encodeTcpNdata(alloc, 1, Family.IPV4, 0, huge))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24-bit");
            assertThat(alloc.given).isEmpty();
            assertThat(data.refCnt()).isEqualTo(1);
            assertThat(huge.refCnt()).isEqualTo(1);
        } finally {
            data.release();
            huge.release();
        }
    }

    @Test
    void framePassesTheCodecUnchangedAndDecodesAsTheRecord() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        PacketLabCodec.addTo(ch.pipeline(), WireCodec.MAX_BODY);
        ByteBuf data = socketRead(3, 65536, 4);
        Ndata expected = Ndata.tcp(2, Family.IPV6, 77, data);
        ch.writeOutbound(WireCodec.encodeTcpNdata(ch.alloc(), 2, Family.IPV6, 77, data));
        data.release();
        ByteBuf out = ch.readOutbound();
        try {
            assertThat(WireCodec.decodeFrame(out)).isEqualTo(expected);
        } finally {
            out.release();
        }
        assertThat(ch.finish()).isFalse();
    }
}
