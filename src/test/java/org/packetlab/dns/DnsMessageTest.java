package org.packetlab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DnsMessageTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The DNS payload of the reference {@code test_dns pktlab.test 127.0.0.1} nsend (session-dns vectors). */
    static byte[] referenceQuery() throws IOException {
        return Arrays.copyOfRange(vector("mlet_leg.mlet2xpmgr.bin"), 40, 69);
    }

    /** The DNS payload of the ndata that carried the reference responder's answer. */
    static byte[] referenceAnswer() throws IOException {
        return Arrays.copyOfRange(vector("mlet_leg.xpmgr2mlet.bin"), 44, 89);
    }

    private static byte[] vector(String file) throws IOException {
        try (InputStream in = DnsMessageTest.class.getResourceAsStream("/vectors/session-dns/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void queryEncodesByteForByteLikeTheReferenceMlet() throws IOException {
        // the reference stores its id 5566 in host byte order, so 0xbe15 travels on the wire
        byte[] query = DnsMessage.query(0xbe15, "pktlab.test", DnsType.A).encode();
        assertThat(HEX.formatHex(query)).isEqualTo(HEX.formatHex(referenceQuery()));
    }

    @Test
    void decodesTheReferenceAnswerThroughItsCompressionPointer() throws IOException {
        DnsMessage m = DnsMessage.decode(referenceAnswer());
        assertThat(m.id()).isEqualTo(0xbe15);
        assertThat(m.isResponse()).isTrue();
        assertThat(m.hasFlag(DnsMessage.AA)).isTrue();
        assertThat(m.rcode()).isEqualTo(DnsMessage.NOERROR);
        assertThat(m.questions()).containsExactly(new DnsQuestion("pktlab.test", DnsType.A));
        assertThat(m.answers()).containsExactly(
                DnsRecord.address("pktlab.test", 0, InetAddress.getByAddress(new byte[] {127, 0, 0, 3})));
    }

    @Test
    void reencodingTheReferenceAnswerGivesBackItsBytes() throws IOException {
        byte[] answer = referenceAnswer();
        assertThat(HEX.formatHex(DnsMessage.decode(answer).encode())).isEqualTo(HEX.formatHex(answer));
    }

    @Test
    void randomMessagesSurviveEncodeThenDecode() throws DnsFormatException {
        for (long seed = 0; seed < 3000; seed++) {
            DnsMessage m = RandomDns.message(new Random(seed));
            byte[] wire = m.encode();
            assertThat(DnsMessage.decode(wire)).as("seed %d, wire %s", seed, HEX.formatHex(wire)).isEqualTo(m);
        }
    }

    @Test
    void randomAndMangledBytesFailOnlyWithDnsFormatException() {
        int decoded = 0;
        for (long seed = 0; seed < 15000; seed++) {
            Random r = new Random(seed);
            byte[] input = seed % 3 == 0 ? RandomDns.bytes(r) : RandomDns.mangle(r, RandomDns.message(r).encode());
            try {
                DnsMessage m = DnsMessage.decode(input);
                decoded++;
                // whatever decodes is a proper value: it encodes and decodes to itself
                assertThat(DnsMessage.decode(m.encode())).as("seed %d", seed).isEqualTo(m);
            } catch (DnsFormatException expected) {
                assertThat(expected.offset()).isBetween(0, input.length);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e + " for " + HEX.formatHex(input), e);
            }
        }
        assertThat(decoded).as("mangling leaves some messages decodable").isPositive();
    }

    @Test
    void pointerBackIntoItsOwnNameIsRejected() {
        // name at 12 = label "x" then a pointer at 14 back to 12: points backwards from itself, yet loops
        byte[] m = header(1, 0, 0, "01 78 c0 0c 0001 0001");
        assertThatThrownBy(() -> DnsMessage.decode(m)).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("at byte 14").hasMessageContaining("does not point backwards");
        byte[] self = header(1, 0, 0, "c0 0c 0001 0001");
        assertThatThrownBy(() -> DnsMessage.decode(self)).isInstanceOf(DnsFormatException.class);
        byte[] forward = header(1, 0, 0, "c0 0e 00 0001 0001");
        assertThatThrownBy(() -> DnsMessage.decode(forward)).isInstanceOf(DnsFormatException.class);
    }

    @Test
    void pointerChainsAreFollowedUpToTheJumpLimit() throws DnsFormatException {
        assertThat(DnsMessage.decode(pointerChain(DnsMessage.MAX_POINTER_JUMPS)).questions())
                .hasSize(DnsMessage.MAX_POINTER_JUMPS + 1).allMatch(q -> q.name().equals("a"));
        assertThatThrownBy(() -> DnsMessage.decode(pointerChain(DnsMessage.MAX_POINTER_JUMPS + 1)))
                .isInstanceOf(DnsFormatException.class).hasMessageContaining("pointers in one name");
    }

    /** Questions whose names each point at the previous one: the last name takes {@code jumps} jumps. */
    private static byte[] pointerChain(int jumps) {
        StringBuilder body = new StringBuilder("01 61 00 0001 0001");
        for (int i = 0; i < jumps; i++) {
            int previous = i == 0 ? 12 : 12 + 7 + (i - 1) * 6;
            body.append(String.format(" %04x 0001 0001", 0xC000 | previous));
        }
        return header(jumps + 1, 0, 0, body.toString());
    }

    @Test
    void countsBeyondTheBytesFailAtTheEnd() {
        byte[] m = header(0xFFFF, 0xFFFF, 0xFFFF, "");
        assertThatThrownBy(() -> DnsMessage.decode(m)).isInstanceOf(DnsFormatException.class)
                .hasMessage("malformed DNS message at byte 12: name runs past the end");
        assertThatThrownBy(() -> DnsMessage.decode(new byte[11])).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("shorter than the 12-byte header");
    }

    @Test
    void recordDataMustMatchItsType() {
        byte[] shortA = header(0, 1, 0, "00 0001 0001 00000000 0003 7f0000");
        assertThatThrownBy(() -> DnsMessage.decode(shortA)).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("address data of 3 bytes, expected 4");
        byte[] longCname = header(0, 1, 0, "00 0005 0001 00000000 0003 00 ffff");
        assertThatThrownBy(() -> DnsMessage.decode(longCname)).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("CNAME data length 3");
        byte[] overlong = header(0, 1, 0, "00 0010 0001 00000000 0009 0102");
        assertThatThrownBy(() -> DnsMessage.decode(overlong)).isInstanceOf(DnsFormatException.class)
                .hasMessageContaining("runs past the end");
    }

    @Test
    void reservedLabelTypesAndOverlongNamesAreRejected() {
        assertThatThrownBy(() -> DnsMessage.decode(header(1, 0, 0, "41 00 0001 0001")))
                .isInstanceOf(DnsFormatException.class).hasMessageContaining("reserved label type 0x40");
        String label63 = "3f" + "61".repeat(63);
        byte[] tooLong = header(1, 0, 0, (label63 + label63 + label63 + label63) + " 00 0001 0001");
        assertThatThrownBy(() -> DnsMessage.decode(tooLong))
                .isInstanceOf(DnsFormatException.class).hasMessageContaining("longer than 255 bytes");
    }

    @Test
    void authorityAndAdditionalSectionsAreCheckedButNotKept() throws DnsFormatException {
        // a query with an EDNS OPT record (as dig sends) in the additional section
        byte[] withOpt = header(1, 0, 1, "01 61 00 0001 0001  00 0029 1000 00000000 0000");
        DnsMessage m = DnsMessage.decode(withOpt);
        assertThat(m.questions()).containsExactly(new DnsQuestion("a", DnsType.A));
        assertThat(m.answers()).isEmpty();
        byte[] cut = Arrays.copyOf(withOpt, withOpt.length - 1);
        assertThatThrownBy(() -> DnsMessage.decode(cut)).isInstanceOf(DnsFormatException.class);
    }

    @Test
    void namesAreStoredInCanonicalForm() {
        assertThat(new DnsQuestion("PktLab.Test.", DnsType.A).name()).isEqualTo("PktLab.Test");
        assertThat(new DnsQuestion(".", DnsType.NS).name()).isEmpty();
        assertThat(new DnsQuestion("a\\046b.c", DnsType.A).name()).isEqualTo("a\\.b.c");
        assertThat(new DnsQuestion("x y.\\000", DnsType.A).name()).isEqualTo("x\\032y.\\000");
        assertThat(new DnsQuestion("a\\bc", DnsType.A)).isEqualTo(new DnsQuestion("abc", DnsType.A));
    }

    @Test
    void invalidNamesAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> new DnsQuestion("a".repeat(64) + ".test", DnsType.A))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label longer than 63 bytes");
        assertThatThrownBy(() -> new DnsQuestion("a..b", DnsType.A)).hasMessageContaining("empty label");
        assertThatThrownBy(() -> new DnsQuestion("caf\u00e9.test", DnsType.A)).hasMessageContaining("U+00E9");
        assertThatThrownBy(() -> new DnsQuestion("a\\25", DnsType.A)).hasMessageContaining("three digits");
        assertThatThrownBy(() -> new DnsQuestion("a\\256", DnsType.A)).hasMessageContaining("above 255");
        String label = "b".repeat(63);
        assertThatThrownBy(() -> new DnsQuestion(String.join(".", label, label, label, label), DnsType.A))
                .hasMessageContaining("longer than 255 bytes");
        assertThat(new DnsQuestion(String.join(".", label, label, label, "c".repeat(61)), DnsType.A).name()).hasSize(253);
    }

    @Test
    void labelsWithDotsAndControlBytesSurviveTheWire() throws DnsFormatException {
        DnsMessage m = new DnsMessage(7, DnsMessage.QR, List.of(new DnsQuestion("a\\.b.\\000\\255.test", DnsType.TXT)),
                List.of(new DnsRecord.Cname("a\\.b.\\000\\255.test", 60, "\\\\.test")));
        assertThat(DnsMessage.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void rawRecordsKeepTheirBytesButTypedRecordsMustBeTyped() throws Exception {
        var mx = new DnsRecord.Raw("test", DnsType.MX, DnsMessage.CLASS_IN, 300, new byte[] {0, 10, 0});
        DnsMessage m = new DnsMessage(1, DnsMessage.QR, List.of(), List.of(mx));
        assertThat(DnsMessage.decode(m.encode()).answers()).containsExactly(mx);
        byte[] data = mx.data();
        data[0] = 9;
        assertThat(mx.data()[0]).as("data is copied out").isZero();
        assertThatThrownBy(() -> new DnsRecord.Raw("test", DnsType.A, DnsMessage.CLASS_IN, 0, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use DnsRecord.A");
        assertThat(new DnsRecord.Raw("test", DnsType.A, 3, 0, new byte[4]).type()).isEqualTo(DnsType.A);
        assertThat(DnsRecord.address("v6.test", 1, InetAddress.getByName("::1"))).isInstanceOf(DnsRecord.Aaaa.class);
    }

    @Test
    void ipv4MappedAaaaStaysAnIpv6Record() throws Exception {
        Inet6Address mapped = Inet6Address.getByAddress(null, HEX.parseHex("00000000000000000000ffff7f000001"), -1);
        DnsMessage m = new DnsMessage(2, 0, List.of(), List.of(new DnsRecord.Aaaa("m.test", 5, mapped)));
        assertThat(DnsMessage.decode(m.encode())).isEqualTo(m);
    }

    @Test
    void headerFieldsAreReadFromTheFlags() {
        DnsMessage m = new DnsMessage(9, DnsMessage.QR | (2 << 11) | DnsMessage.RD | DnsMessage.NXDOMAIN, List.of(), List.of());
        assertThat(m.isResponse()).isTrue();
        assertThat(m.opcode()).isEqualTo(2);
        assertThat(m.rcode()).isEqualTo(DnsMessage.NXDOMAIN);
        assertThat(m.hasFlag(DnsMessage.RD)).isTrue();
        assertThat(m.hasFlag(DnsMessage.AA)).isFalse();
        assertThatThrownBy(() -> new DnsMessage(0x10000, 0, List.of(), List.of())).hasMessageContaining("id 65536");
        assertThat(DnsType.AAAA).hasToString("AAAA");
        assertThat(new DnsType(99)).hasToString("TYPE99");
    }

    /** A header with id 0x1234, no flags, the given counts (authority 0), followed by {@code hexBody}. */
    private static byte[] header(int qd, int an, int ar, String hexBody) {
        String hex = String.format("1234 0000 %04x %04x 0000 %04x ", qd, an, ar) + hexBody;
        return HEX.parseHex(hex.replace(" ", ""));
    }
}
