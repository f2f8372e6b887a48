package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.packetlab.wire.SpecExamplesTest.hex;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Accepted forms, canonical re-encoding, malformed bodies and framing errors of the codec core. */
@Timeout(10)
class WireCodecTest {

    private static Message decodeOne(String example) {
        ByteBuffer in = ByteBuffer.wrap(hex(example));
        Message m = WireCodec.decode(in);
        assertThat(in.hasRemaining()).as("one whole message").isFalse();
        return m;
    }

    private static Raw malformed(String example) {
        Message m = decodeOne(example);
        assertThat(m).isInstanceOf(Raw.class);
        Raw raw = (Raw) m;
        assertThat(raw.malformed()).as("malformed flag of %s", raw).isTrue();
        assertThat(WireCodec.encode(raw)).as("raw is re-encoded verbatim").isEqualTo(hex(example));
        return raw;
    }

    @ParameterizedTest
    @CsvSource({
            "40 00 00 02 | 00 00,               40000000",
            "40 00 00 04 | 00 00 00 00,         40000000",
            "40 00 00 06 | 00 00 00 00 00 00,   40000000",
            "40 00 00 04 | 00 32 00 09,         4000000200 32",
            "40 00 00 06 | 00 32 00 09 00 01,   4000000200 32",
            "40 00 00 06 | 00 13 00 03 00 05,   4000000400130003",
            "60 00 00 0d | 01 04 d2 00 00 00 00 00 00 00 09 00 00, 6000000b0104d20000000000000009",
    })
    void explicitAndLongFormsDecodeAndTheCanonicalFormIsWritten(String accepted, String canonical) {
        Message explicit = decodeOne(accepted);
        assertThat(explicit).isNotInstanceOf(Raw.class);
        assertThat(WireCodec.encode(explicit)).isEqualTo(hex(canonical));
        assertThat(decodeOne(canonical)).isEqualTo(explicit);
    }

    @Test
    void resultWithMonitorStatusButShortBodyIsMalformed() {
        assertThat(malformed("40 00 00 02 | 00 12").reason()).contains("ECTLMONREJ");
        assertThat(malformed("40 00 00 02 | 00 13").reason()).contains("ECTLMONUKN");
        assertThat(malformed("40 00 00 04 | 00 12 00 01").reason()).contains("6 bytes");
        malformed("40 00 00 03 | 00 00 00");
    }

    @Test
    void udpNsendAndNdataTooShortForTheirAddressAreMalformed() {
        // body 16 = 13 + 3: no room for a 4-byte address and the port; the reference reads past it
        assertThat(malformed("2c 00 00 10 | 01 04 11 00 00 00 00 00 00 00 00 00 00 08 08 08").reason()).contains("destination");
        malformed("2c 00 00 1e | 01 06 11 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
        assertThat(malformed("62 00 00 0e | 01 04 11 00 00 00 00 00 00 00 01 08 08 08").reason()).contains("source");
        // exactly the address part and no payload is fine
        assertThat(decodeOne("2c 00 00 13 | 01 04 11 00 00 00 00 00 00 00 00 00 00 08 08 08 08 00 35"))
                .isInstanceOf(Nsend.class);
    }

    @Test
    void udpNsendWithUnknownFamilyIsMalformedButTcpKeepsAnyFamilyByte() {
        malformed("2c 00 00 13 | 01 05 11 00 00 00 00 00 00 00 00 00 00 08 08 08 08 00 35");
        Nsend tcp = (Nsend) decodeOne("2c 00 00 0e | 01 09 06 00 00 00 00 00 00 00 00 00 00 61");
        assertThat(tcp.family()).isEqualTo(9);
        assertThat(WireCodec.encode(tcp)).isEqualTo(hex("2c 00 00 0e | 01 09 06 00 00 00 00 00 00 00 00 00 00 61"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2e 00 00 0b | 01 04 06 00 00 00 00 00 00 00 00",
            "2e 00 00 0d | 01 04 06 00 00 00 00 00 00 00 00 01 00",
            "2e 00 00 0c | 01 04 11 00 00 00 00 00 00 00 00 01",
    })
    void nctlMustBeTwelveBytesOfTcp(String example) {
        malformed(example);
    }

    @Test
    void nctlWithUnknownCommandDecodesForTheEndpointToRefuse() {
        Nctl n = (Nctl) decodeOne("2e 00 00 0c | 01 04 06 00 00 00 00 00 00 00 00 07");
        assertThat(n.command()).isEqualTo(7);
        assertThat(NctlCommand.of(n.command())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2a 00 00 07 | 01 04 06 00 00 10 00",
            "2a 00 00 0c | 01 04 06 00 00 10 00 00 00 00 00 00",
            "2a 00 00 10 | 01 04 06 00 00 10 00 00 00 00 00 00 00 7f 00 00",
            "2a 00 00 14 | 01 04 06 00 00 10 00 00 00 00 00 00 00 7f 00 00 01 00 50 00",
    })
    void tcpNopenOfOddLengthIsMalformed(String example) {
        assertThat(malformed(example).reason()).contains("TCP nopen");
    }

    @Test
    void tcpListenNopenDecodesAsListen() {
        Nopen n = (Nopen) decodeOne("2a 00 00 0d | 01 04 06 00 00 10 00 00 00 00 00 1f 90");
        assertThat(n.isListen()).isTrue();
        assertThat(n.lport()).isEqualTo(8080);
        assertThat(n.remote()).isEmpty();
    }

    @Test
    void nopenWithBadFamilyOrProtoOrAddressLengthIsMalformed() {
        malformed("2a 00 00 0b | 01 05 00 00 00 10 00 00 00 00 00");
        malformed("2a 00 00 0b | 01 04 07 00 00 10 00 00 00 00 00");
        malformed("2a 00 00 0c | 01 04 00 00 00 10 00 00 00 00 00 00");
        malformed("2a 00 00 0f | 01 04 11 00 00 10 00 00 00 00 00 00 00 00 00");
    }

    @Test
    void mreadOfZeroBytesOrPastTheTopOfVmemIsMalformed() {
        assertThat(malformed("28 00 00 06 | 10 01 00 00 00 00").reason()).contains("len 0");
        malformed("28 00 00 06 | ff ff ff ff 00 01");
        assertThat(decodeOne("28 00 00 06 | ff ff ff fe 00 01")).isEqualTo(Mread.of(0xfffffffeL, 1));
        malformed("29 00 00 06 | ff ff ff ff 00 01");
    }

    @Test
    void nstatOfOtherLengthsIsMalformedAndTheGenericFormWithCodeZeroStaysGeneric() {
        malformed("61 00 00 0b | 01 04 06 00 00 00 00 00 00 00 00");
        malformed("61 00 00 0d | 01 04 06 00 00 00 00 00 00 00 00 00 00");
        Nstat generic = (Nstat) decodeOne("61 00 00 0c | 01 04 06 00 00 00 00 00 00 00 05 00");
        assertThat(generic.isEstablished()).isFalse();
        assertThat(WireCodec.encode(generic)).isEqualTo(hex("61 00 00 0c | 01 04 06 00 00 00 00 00 00 00 05 00"));
        Nstat v6 = (Nstat) decodeOne("61 00 00 1d | 01 06 06 00 00 00 00 00 00 00 05" + " 00".repeat(15) + " 01 00 50");
        assertThat(v6.remote().orElseThrow().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void emptyBodiedTypesWithABodyAndFixedLengthTypesOfOtherLengthsAreMalformed() {
        malformed("21 00 00 01 | 00");
        malformed("68 00 00 01 | 00");
        malformed("23 00 00 07 | 00 00 00 00 00 00 00");
        malformed("2b 00 00 02 | 01 02");
        malformed("63 00 00 1a" + " 00".repeat(26));
        malformed("64 00 00 0c" + " 00".repeat(12));
        malformed("60 00 00 0c" + " 00".repeat(12));
    }

    @Test
    void variableLengthRulesOfCdataLinfoAndBrokerMessages() {
        malformed("20 00 00 00");
        malformed("20 00 00 02 | 05 61");
        malformed("65 00 00 0c | 00 00 00 01 00 00 00 00 00 00 00 00");
        malformed("65 00 00 0d | ff ff ff ff 00 00 00 01 00 00 00 01 00");
        malformed("30 00 00 00");
        malformed("31 00 00 21 | 21" + " 00".repeat(32));
        malformed("38 00 00 21 | 01 05" + " 00".repeat(31));
        // dattr forbids duplicates: "a=b;a=c;"
        malformed("38 00 00 29 | 00" + " 00".repeat(32) + " 61 3d 62 3b 61 3d 63 3b");
        malformed("70 00 00 01 | 00");
        malformed("70 00 00 02 | 21 00");
        malformed("70 00 00 03 | 01 61 3d");
        malformed("80 00 00 00");
        malformed("80 00 00 03 | 41 42 43");
    }

    @Test
    void unknownTypeAndMalformedKnownTypeAreDistinctValues() {
        Raw unknown = (Raw) decodeOne("99 00 00 02 | 01 02");
        assertThat(unknown.malformed()).isFalse();
        assertThat(unknown.typeCode()).isEqualTo(0x99);
        assertThat(unknown.knownType()).isEmpty();
        assertThat(unknown.type()).isEqualTo(MessageType.RAW);
        Raw bad = malformed("28 00 00 05 | 10 01 00 00 00");
        assertThat(bad.knownType()).contains(MessageType.MREAD);
        assertThat(bad).isNotEqualTo(unknown);
        assertThat(WireCodec.encode(unknown)).isEqualTo(hex("99 00 00 02 | 01 02"));
        assertThat(((Raw) decodeOne("00 00 00 00")).malformed()).isFalse();
    }

    @Test
    void incompleteInputNeedsMoreBytesAndLeavesThePositionAlone() {
        byte[] whole = hex("2c 00 00 12 | 01 04 06 00 00 00 00 00 00 00 00 04 d2 68 65 6c 6c 6f");
        for (int n = 0; n < whole.length; n++) {
            ByteBuffer in = ByteBuffer.wrap(whole, 0, n);
            assertThat(WireCodec.decode(in)).as("%d bytes", n).isNull();
            assertThat(in.position()).isZero();
        }
        assertThat(WireCodec.decode(ByteBuffer.wrap(whole))).isInstanceOf(Nsend.class);
    }

    @Test
    void headerOverTheMaximumIsRefusedAsSoonAsItArrives() {
        ByteBuffer in = ByteBuffer.wrap(hex("62 ff ff ff"));
        assertThatThrownBy(() -> WireCodec.decode(in, 1024))
                .isInstanceOfSatisfying(FrameTooLongException.class, e -> {
                    assertThat(e.length()).isEqualTo(0xFFFFFF);
                    assertThat(e.maxBody()).isEqualTo(1024);
                });
        assertThat(in.position()).isZero();
    }

    @Test
    void bytesEndingInsideAMessageAreTruncated() {
        assertThatThrownBy(() -> WireCodec.decodeAll(hex("40 00 00 00 40 00 00 02 00")))
                .isInstanceOf(TruncatedFrameException.class).hasMessageContaining("offset 4");
    }

    @Test
    void encodingIntoABufferThatCannotGrowFailsWithoutWriting() throws Exception {
        ByteBuf small = Unpooled.buffer(4, 8);
        try {
            assertThatThrownBy(() -> WireCodec.encode(Nsend.tcp(1, Family.IPV4, 0, 0, new byte[10]), small))
                    .isInstanceOf(EncodeException.class).hasMessageContaining("nsend");
            assertThat(small.writerIndex()).isZero();
            WireCodec.encode(Result.ok(), small);
            assertThat(small.readInt()).isEqualTo(0x40000000);
        } finally {
            small.release();
        }
    }

    @Test
    void encodedLengthIsExact() {
        Message m = Ndata.tcp(1, Family.IPV6, 3, new byte[100]);
        assertThat(WireCodec.encodedLength(m)).isEqualTo(WireCodec.encode(m).length).isEqualTo(4 + 11 + 100);
    }

    @Test
    void decodedBulkPayloadIsNotSharedWithTheInput() {
        byte[] wire = hex("62 00 00 0d | 01 04 06 00 00 00 00 00 00 00 01 78 79");
        Ndata d = (Ndata) WireCodec.decode(ByteBuffer.wrap(wire));
        wire[wire.length - 1] = 0;
        assertThat(d.data()).containsExactly('x', 'y');
    }

    @Test
    void bulkPayloadIsCopiedOnceOnDecode() {
        int size = 1 << 20;
        byte[] frame = WireCodec.encode(Ndata.tcp(1, Family.IPV4, 0, new byte[size]));
        WireCodec.decode(ByteBuffer.wrap(frame));
        long before = Allocation.currentThread();
        Message m = WireCodec.decode(ByteBuffer.wrap(frame));
        long allocated = Allocation.currentThread() - before;
        assertThat(((Ndata) m).dataLength()).isEqualTo(size);
        assertThat(allocated).as("bytes allocated to decode a 1 MiB ndata").isBetween((long) size, size + size / 4L);
    }

    @Test
    void aBufferThatIsNotOneWholeMessageIsAWireException() {
        ByteBuf two = Unpooled.wrappedBuffer(hex("40 00 00 00 40 00 00 00"));
        assertThatThrownBy(() -> WireCodec.decodeFrame(two)).isInstanceOf(WireException.class).hasMessageContaining("8 bytes");
        assertThatThrownBy(() -> WireCodec.decodeFrame(Unpooled.wrappedBuffer(hex("40 00")))).isInstanceOf(WireException.class);
    }
}
