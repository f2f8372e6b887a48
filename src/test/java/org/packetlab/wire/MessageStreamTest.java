package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.packetlab.wire.SpecExamplesTest.hex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The blocking stream API: MessageReader and MessageWriter. */
@Timeout(10)
class MessageStreamTest {

    @Test
    void readerReturnsEveryMessageThenNullAtACleanEnd() throws Exception {
        byte[] stream = ReferenceVectorsTest.resource("session-http-get/mlet_leg.xpmgr2mlet.bin");
        MessageReader reader = new MessageReader(new ByteArrayInputStream(stream), 0x10000);
        List<Message> got = new ArrayList<>();
        for (Message m; (m = reader.read()) != null; ) {
            got.add(m);
        }
        assertThat(got).isEqualTo(WireCodec.decodeAll(stream));
        assertThat(reader.offset()).isEqualTo(stream.length);
        assertThat(reader.read()).isNull();
    }

    @Test
    void endInsideAHeaderOrBodyIsTruncated() throws Exception {
        MessageReader inHeader = new MessageReader(new ByteArrayInputStream(hex("40 00 00 00 40 00")), 1024);
        assertThat(inHeader.read()).isEqualTo(Result.ok());
        assertThatThrownBy(inHeader::read).isInstanceOf(TruncatedFrameException.class).hasMessageContaining("header at offset 4");

        MessageReader inBody = new MessageReader(new ByteArrayInputStream(hex("2b 00 00 02 01")), 1024);
        assertThatThrownBy(inBody::read).isInstanceOf(TruncatedFrameException.class).hasMessageContaining("nclose");
    }

    @Test
    void oversizeHeaderFailsBeforeTheBodyIsRead() {
        int[] bytesRead = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                bytesRead[0]++;
                return bytesRead[0] == 1 ? 0x62 : 0xff;
            }
        };
        MessageReader reader = new MessageReader(endless, 1024);
        assertThatThrownBy(reader::read).isInstanceOf(FrameTooLongException.class);
        assertThat(bytesRead[0]).isEqualTo(4);
    }

    @Test
    void readerGrowsWithTheBytesThatArriveNotWithTheAnnouncedLength() {
        // a header announcing 16 MiB followed by end of input: nothing near 16 MiB is allocated
        InputStream in = new FilterInputStream(new ByteArrayInputStream(hex("62 ff ff ff 01 02"))) { };
        MessageReader reader = new MessageReader(in, WireCodec.MAX_BODY);
        long before = Allocation.currentThread();
        assertThatThrownBy(reader::read).isInstanceOf(TruncatedFrameException.class);
        assertThat(Allocation.currentThread() - before).isLessThan(1 << 20);
    }

    @Test
    void writerIssuesOneWritePerMessage() throws IOException {
        List<byte[]> writes = new ArrayList<>();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(new byte[] {(byte) b});
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(java.util.Arrays.copyOfRange(b, off, off + len));
            }
        };
        MessageWriter writer = new MessageWriter(out);
        writer.write(Nsend.tcp(1, Family.IPV4, 0, 1234, "hello".getBytes()));
        writer.write(Result.ok());
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).isEqualTo(hex("2c 00 00 12 | 01 04 06 00 00 00 00 00 00 00 00 04 d2 68 65 6c 6c 6f"));
        assertThat(writes.get(1)).isEqualTo(hex("40 00 00 00"));
    }

    @Test
    void writerAndReaderAgree() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        MessageWriter writer = new MessageWriter(buf);
        List<Message> sent = List.of(Mread.of(Vmem.SYSPARAM_TIME, 8), Result.monitorRejected(1, 2), new Suspd());
        for (Message m : sent) {
            writer.write(m);
        }
        MessageReader reader = new MessageReader(new ByteArrayInputStream(buf.toByteArray()), 64);
        assertThat(List.of(reader.read(), reader.read(), reader.read())).isEqualTo(sent);
        assertThat(reader.read()).isNull();
    }
}
