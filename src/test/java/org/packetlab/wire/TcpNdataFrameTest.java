package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TCP ndata written in place in front of a socket's chunk ({@link WireCodec#encodeTcpNdataInPlace}). */
@Timeout(10)
class TcpNdataFrameTest {

    /** A direct buffer as an endpoint's socket read leaves it: {@code room} bytes, then {@code length} readable bytes. */
    private static ByteBuf socketRead(int room, int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(room + length);
        buf.writeBytes(new byte[room]).writeBytes(bytes).skipBytes(room);
        return buf;
    }

    @ParameterizedTest
    @CsvSource({
            "15, 0,   0,     IPV4, 0",
            "15, 1,   1,     IPV4, 1",
            "20, 7,   1000,  IPV6, 1767225600000000000",
            "15, 255, 65521, IPV4, -1",
            "15, 3,   65536, IPV6, 9223372036854775807",
    })
    void chunkBecomesTheEncodedRecordInPlace(int room, int sktid, int length, Family family, long time) {
        ByteBuf chunk = socketRead(room, length, length);
        try {
            byte[] expected = WireCodec.encode(Ndata.tcp(sktid, family, time, chunk));
            int end = chunk.writerIndex();
            ByteBuf frame = WireCodec.encodeTcpNdataInPlace(chunk, sktid, family, time);
            assertThat(frame).as("the same buffer").isSameAs(chunk);
            assertThat(frame.readerIndex()).isEqualTo(room - WireCodec.TCP_NDATA_HEADROOM);
            assertThat(frame.writerIndex()).isEqualTo(end);
            assertThat(ByteBufUtil.getBytes(frame)).isEqualTo(expected);
            assertThat(frame.refCnt()).as("ownership unchanged").isEqualTo(1);
        } finally {
            chunk.release();
        }
    }

    @Test
    void headroomIsTheMessageHeaderAndTheFixedNdataFields() {
        assertThat(WireCodec.TCP_NDATA_HEADROOM).isEqualTo(WireCodec.encodedLength(Ndata.tcp(1, Family.IPV4, 0, new byte[0])));
    }

    @Test
    void chunkWithoutRoomOrWithABadSktidOrOversizeDataIsRefusedAndLeftAsItWas() {
        ByteBuf cramped = socketRead(WireCodec.TCP_NDATA_HEADROOM - 1, 16, 1);
        ByteBuf roomy = socketRead(WireCodec.TCP_NDATA_HEADROOM, 16, 2);
        ByteBuf huge = Unpooled.buffer(WireCodec.TCP_NDATA_HEADROOM + WireCodec.MAX_BODY)
                .writerIndex(WireCodec.TCP_NDATA_HEADROOM + WireCodec.MAX_BODY).readerIndex(WireCodec.TCP_NDATA_HEADROOM);
        try {
            byte[] crampedBefore = ByteBufUtil.getBytes(cramped, 0, cramped.writerIndex());
            byte[] roomyBefore = ByteBufUtil.getBytes(roomy, 0, roomy.writerIndex());
            assertThatThrownBy(() -> WireCodec.encodeTcpNdataInPlace(cramped, 1, Family.IPV4, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 15 bytes");
            assertThatThrownBy(() -> WireCodec.encodeTcpNdataInPlace(roomy, 256, Family.IPV4, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sktid");
            assertThatThrownBy(() -> WireCodec.encodeTcpNdataInPlace(huge, 1, Family.IPV4, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24-bit");
            assertThat(ByteBufUtil.getBytes(cramped, 0, cramped.writerIndex())).isEqualTo(crampedBefore);
            assertThat(ByteBufUtil.getBytes(roomy, 0, roomy.writerIndex())).isEqualTo(roomyBefore);
            assertThat(cramped.readerIndex()).isEqualTo(WireCodec.TCP_NDATA_HEADROOM - 1);
            assertThat(roomy.readerIndex()).isEqualTo(WireCodec.TCP_NDATA_HEADROOM);
            assertThat(huge.readerIndex()).isEqualTo(WireCodec.TCP_NDATA_HEADROOM);
        } finally {
            cramped.release();
            roomy.release();
            huge.release();
        }
    }

    @Test
    void framePassesTheCodecUnchangedAndDecodesAsTheRecordWithItsReferenceHandedOn() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        PacketLabCodec.addTo(ch.pipeline(), WireCodec.MAX_BODY);
        ByteBuf chunk = socketRead(WireCodec.TCP_NDATA_HEADROOM, 65536, 4);
        Ndata expected = Ndata.tcp(2, Family.IPV6, 77, chunk);
        ch.writeOutbound(WireCodec.encodeTcpNdataInPlace(chunk, 2, Family.IPV6, 77));
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("the chunk itself leaves").isSameAs(chunk);
        try {
            assertThat(WireCodec.decodeFrame(out)).isEqualTo(expected);
        } finally {
            out.release();
        }
        assertThat(chunk.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }
}
