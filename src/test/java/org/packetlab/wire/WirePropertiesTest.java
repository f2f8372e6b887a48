package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Seeded random properties of the codec; each failure message names the seed that reproduces it. */
@Timeout(30)
class WirePropertiesTest {

    private static final int CASES = 5000;

    private static long seed() {
        return Long.getLong("wire.seed", System.nanoTime());
    }

    @Test
    void randomValidMessagesSurviveEncodeThenDecode() {
        long seed = seed();
        RandomMessages gen = new RandomMessages(new Random(seed));
        for (int i = 0; i < CASES; i++) {
            Message m = gen.message();
            byte[] bytes = WireCodec.encode(m);
            Message back = WireCodec.decode(ByteBuffer.wrap(bytes));
            assertThat(back).as("seed %d case %d", seed, i).isEqualTo(m);
            assertThat(back.hashCode()).as("seed %d case %d", seed, i).isEqualTo(m.hashCode());
            assertThat(WireCodec.encode(back)).as("seed %d case %d", seed, i).isEqualTo(bytes);
        }
    }

    @Test
    void everyAcceptedFrameReencodesToItsOwnBytesExceptTheCanonicalForms() {
        long seed = seed();
        RandomMessages gen = new RandomMessages(new Random(seed));
        for (int i = 0; i < CASES * 2; i++) {
            byte[] frame = gen.randomFrame();
            Message m = WireCodec.decode(ByteBuffer.wrap(frame));
            byte[] again = WireCodec.encode(m);
            if (m instanceof Result || m instanceof Ntag) {
                // §5.1/§5.12 canonical forms: re-encoding is stable from then on
                assertThat(WireCodec.encode(WireCodec.decode(ByteBuffer.wrap(again)))).as("seed %d case %d", seed, i).isEqualTo(again);
                assertThat(WireCodec.decode(ByteBuffer.wrap(again))).as("seed %d case %d", seed, i).isEqualTo(m);
            } else {
                assertThat(again).as("seed %d case %d: %s", seed, i, m).isEqualTo(frame);
            }
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButWireExceptionsAndAllocateOnlyForBytesPresent() {
        long seed = seed();
        Random r = new Random(seed);
        RandomMessages gen = new RandomMessages(r);
        for (int i = -200; i < CASES; i++) {
            // the first 200 cases warm up class loading and are not measured
            byte[] input = r.nextBoolean() ? gen.bytes(0, 80) : concat(gen.randomFrame(), gen.bytes(0, 8));
            ByteBuffer in = ByteBuffer.wrap(input);
            long before = Allocation.currentThread();
            try {
                while (WireCodec.decode(in, 64) != null) {
                    assertThat(in.position()).isLessThanOrEqualTo(input.length);
                }
            } catch (FrameTooLongException expected) {
                assertThat(expected.length()).as("seed %d case %d", seed, i).isGreaterThan(64);
            } catch (RuntimeException e) {
                fail("seed " + seed + " case " + i + ": " + e, e);
            }
            long allocated = Allocation.currentThread() - before;
            if (i < 0) {
                continue;
            }
            // a few small objects per message plus copies of the bytes that are present, never a claimed length
            assertThat(allocated).as("seed %d case %d: bytes allocated for %d input bytes", seed, i, input.length)
                    .isLessThan(16_384 + 16L * input.length);
        }
    }

    @Test
    void randomBytesThroughTheNettyPipelineGiveOnlyMessagesOrCodecExceptions() {
        long seed = seed();
        Random r = new Random(seed);
        RandomMessages gen = new RandomMessages(r);
        for (int i = 0; i < CASES / 10; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            PacketLabCodec.addTo(ch.pipeline(), 64);
            try {
                for (int k = 0; k < 10; k++) {
                    ch.writeInbound(Unpooled.wrappedBuffer(r.nextBoolean() ? gen.randomFrame() : gen.bytes(0, 30)));
                    for (Object m; (m = ch.readInbound()) != null; ) {
                        assertThat(m).isInstanceOf(Message.class);
                    }
                }
                ch.finish();
            } catch (Throwable t) {
                if (!(t instanceof WireException)) {
                    fail("seed " + seed + " case " + i + ": " + t, t);
                }
            } finally {
                ch.finishAndReleaseAll();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
