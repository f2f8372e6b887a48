package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worked hex examples of spec/wire-protocol.md §15 and agents.md Appendix A: decode, check fields, encode back. */
@Timeout(10)
class SpecExamplesTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[\\s|]", ""));
    }

    /** Decodes the example as exactly one message, checks it re-encodes to the same bytes, and returns it. */
    @SuppressWarnings("unchecked")
    static <T extends Message> T roundTrip(String example, Class<T> type) throws Exception {
        byte[] bytes = hex(example);
        List<Message> decoded = WireCodec.decodeAll(bytes);
        assertThat(decoded).hasSize(1);
        assertThat(decoded.getFirst()).isInstanceOf(type);
        assertThat(WireCodec.encode(decoded.getFirst())).isEqualTo(bytes);
        return (T) decoded.getFirst();
    }

    static InetSocketAddress at(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void mreadOfTheEndpointClockAndItsMdata() throws Exception {
        Mread r = roundTrip("28 00 00 06 | 10 01 00 00  00 08", Mread.class);
        assertThat(r).isEqualTo(Mread.of(Vmem.SYSPARAM_TIME, 8));
        Mdata d = roundTrip("41 00 00 0c | 10 01 00 00  17 9a 00 00 00 00 00 01", Mdata.class);
        assertThat(d.addr()).isEqualTo(0x10010000L);
        assertThat(d.data()).isEqualTo(hex("179a000000000001"));
    }

    @Test
    void tcpNopenToLoopbackPort80AndItsEstablishedNstat() throws Exception {
        Nopen n = roundTrip("2a 00 00 13 | 01 04 06 00 00 10 00  00 00 00 00  00 00  7f 00 00 01  00 50", Nopen.class);
        assertThat(n).isEqualTo(Nopen.tcp(1, at("127.0.0.1", 80), 0x1000));
        assertThat(n.local()).isEqualTo(at("0.0.0.0", 0));
        Nstat s = roundTrip("61 00 00 11 | 01 04 06  00 00 00 00 00 00 00 2a  7f 00 00 01  00 50", Nstat.class);
        assertThat(s).isEqualTo(Nstat.established(1, 42, at("127.0.0.1", 80)));
        assertThat(s.code()).isZero();
    }

    @Test
    void tcpNsendOfHelloAndItsReplies() throws Exception {
        Nsend s = roundTrip("2c 00 00 12 | 01 04 06  00 00 00 00 00 00 00 00  04 d2  68 65 6c 6c 6f", Nsend.class);
        assertThat(s).isEqualTo(Nsend.tcp(1, Family.IPV4, 0, 1234, "hello".getBytes()));
        assertThat(roundTrip("40 00 00 00", Result.class)).isEqualTo(Result.ok());
        Ntag sent = roundTrip("60 00 00 0b | 01 04 d2 00 00 00 00 00 00 00 09", Ntag.class);
        assertThat(sent).isEqualTo(Ntag.sent(1, 1234, 9));
        Ntag failed = roundTrip("60 00 00 0d | 01 04 d2 00 00 00 00 00 00 00 09 00 41", Ntag.class);
        assertThat(failed.status()).isEqualTo(Status.EPKTNOTSENT);
    }

    @Test
    void tcpNdata() throws Exception {
        Ndata d = roundTrip("62 00 00 17 | 01 04 06  17 f2 a3 b4 c5 d6 e7 f8  48 54 54 50 2f 31 2e 30 20 32 30 30", Ndata.class);
        assertThat(d).isEqualTo(Ndata.tcp(1, Family.IPV4, 0x17f2a3b4c5d6e7f8L, "HTTP/1.0 200".getBytes()));
        assertThat(d.source()).isEmpty();
    }

    @Test
    void udpNopenNsendAndNdata() throws Exception {
        Nopen n = roundTrip("2a 00 00 0d | 01 04 11 00 00 10 00 00 00 00 00 00 00", Nopen.class);
        assertThat(n).isEqualTo(Nopen.udp(1, Family.IPV4, 0x1000));
        Nsend s = roundTrip("2c 00 00 16 | 01 04 11 00 00 00 00 00 00 00 00 00 00 08 08 08 08 00 35 61 62 63", Nsend.class);
        assertThat(s).isEqualTo(Nsend.udp(1, 0, 0, at("8.8.8.8", 53), "abc".getBytes()));
        Ndata d = roundTrip("62 00 00 13 | 01 04 11 00 00 00 00 00 00 00 01 08 08 08 08 00 35 78 79", Ndata.class);
        assertThat(d).isEqualTo(Ndata.udp(1, 1, at("8.8.8.8", 53), "xy".getBytes()));
    }

    @Test
    void resultShapes() throws Exception {
        assertThat(roundTrip("40 00 00 00", Result.class).status()).isEqualTo(Status.SUCCESS);
        assertThat(roundTrip("40 00 00 02 | 00 32", Result.class)).isEqualTo(Result.of(Status.ESKTINUSE));
        assertThat(roundTrip("40 00 00 06 | 00 12 00 02 00 07", Result.class)).isEqualTo(Result.monitorRejected(2, 7));
        assertThat(roundTrip("40 00 00 04 | 00 13 00 03", Result.class)).isEqualTo(Result.monitorFailed(3));
    }

    @Test
    void rawNopenAndNcapWithTheIcmpEchoReplyFilter() throws Exception {
        Nopen n = roundTrip("2a 00 00 0b | 01 04 00 00 00 10 00 00 00 00 00", Nopen.class);
        assertThat(n).isEqualTo(Nopen.raw(1, InetAddress.getByName("0.0.0.0"), 0x1000));
        Ncap c = roundTrip("""
                2d 00 00 84 | 01 04 00 ff ff ff ff ff ff ff ff
                00
                bf 61 00 00 00 00 00 00
                b7 70 00 00 00 00 00 00
                30 00 00 00 00 00 00 00
                57 00 00 00 ff ff ff f0
                55 00 00 08 00 00 00 40
                30 00 00 00 00 00 00 09
                55 00 00 06 00 00 00 01
                28 00 00 00 00 00 00 14
                55 00 00 04 00 00 00 00
                28 00 00 00 00 00 00 18
                b7 70 00 00 00 00 ff ff
                15 00 00 01 00 00 15 be
                b7 70 00 00 00 00 00 00
                bf 07 00 00 00 00 00 00
                95 00 00 00 00 00 00 00
                """, Ncap.class);
        assertThat(c.endtime()).isEqualTo(PktlabTime.MAX);
        Program filter = c.program().orElseThrow();
        assertThat(filter.type()).isEqualTo(Program.Type.EBPF);
        assertThat(filter.instructions()).hasSize(15);
        assertThat(filter.instructions().getFirst()).isEqualTo(new Program.Instruction(0xbf, 6, 1, 0, 0));
        assertThat(filter.instructions().getLast()).isEqualTo(new Program.Instruction(0x95, 0, 0, 0, 0));
        assertThat(Ncap.of(1, Family.IPV4, PktlabTime.MAX, filter)).isEqualTo(c);
    }

    @Test
    void otherSmallMessages() throws Exception {
        assertThat(roundTrip("2b 00 00 01 | 01", Nclose.class)).isEqualTo(Nclose.of(1));
        assertThat(roundTrip("29 00 00 06 | 20 00 04 70 00 08", Mwrite.class))
                .isEqualTo(Mwrite.notificationMask(1, NotificationMask.of(NotificationMask.NDATA)));
        Nctl fin = roundTrip("2e 00 00 0c | 01 04 06 00 00 00 00 00 00 00 00 01", Nctl.class);
        assertThat(fin).isEqualTo(Nctl.fin(1, Family.IPV4, 0));
        assertThat(roundTrip("23 00 00 08 | 00 00 00 00 3b 9a ca 00", Yield.class).rhint()).isEqualTo(1_000_000_000L);
        assertThat(roundTrip("21 00 00 00", Start.class)).isEqualTo(new Start());
        assertThat(roundTrip("68 00 00 00", Suspd.class)).isEqualTo(new Suspd());
        Cdata cdata = roundTrip("20 00 00 11 | 07 6d 6f 6e 69 74 6f 72 01 00 61 73 6d 01 00 00 00", Cdata.class);
        assertThat(cdata).isEqualTo(Cdata.monitor(Program.wasm(hex("0061736d01000000"))));
        assertThat(cdata.hint()).isEqualTo("monitor");
        Nblock nblock = roundTrip("64 00 00 0d | 01 04 06 12 34 00 00 00 00 00 00 00 07", Nblock.class);
        assertThat(nblock).isEqualTo(Nblock.of(1, Family.IPV4, Proto.TCP, 0x1234, 7));
        Linfo linfo = roundTrip("65 00 00 17 | 00 00 00 07 00 00 00 02 00 00 00 02 6d 6f 6e 69 74 6f 72 01 00 6f 6b", Linfo.class);
        assertThat(linfo).isEqualTo(Linfo.monitor(1, "ok".getBytes()));
        assertThat(linfo.monitorIndex()).hasValue(1);
        assertThat(roundTrip("80 00 00 06 | 61 62 63 31 32 33", Xreg.class)).isEqualTo(Xreg.of(new Snikey("abc123")));
    }

    @Test
    void xpubWithAPrivateAndAPublicChannel() throws Exception {
        String example = "31 00 00 69 | 20" + " aa".repeat(32) + " 02 01 02 00 |" + " ee".repeat(32)
                + " | 73 6e 69 5f 6b 65 79 3d 61 62 63 3b 63 6f 6e 74 72 6f 6c 6c 65 72 5f 61 64 64 72 3d 31 2e 32 2e 33 2e 34 3b";
        Xpub x = roundTrip(example, Xpub.class);
        Channel priv = Channel.of(hex("aa".repeat(32)));
        assertThat(x.channels()).isEqualTo(ChannelList.of(priv, Channel.of(new byte[] {1, 2})));
        assertThat(x.channels().channels().getFirst().isPrivate()).isTrue();
        assertThat(x.eopkey()).isEqualTo(hex("ee".repeat(32)));
        assertThat(x.xdescr().get("controller_addr")).contains("1.2.3.4");
        assertThat(x).isEqualTo(Xpub.of(x.channels(), hex("ee".repeat(32)),
                NameValues.parse("sni_key=abc;controller_addr=1.2.3.4;", NameValues.Syntax.XDESCR)));
    }

    @Test
    void xsubOfAppendixA() throws Exception {
        String example = "38 00 00 4D | 20" + " c1".repeat(32) + " 00 |" + " 0b".repeat(32) + " | 68 6F 73 74 69 64 3D 65 70 31 3B";
        Xsub x = roundTrip(example, Xsub.class);
        assertThat(x.channels().channels()).containsExactly(Channel.of(hex("c1".repeat(32))));
        assertThat(x.dattr().get("hostid")).contains("ep1");
    }

    @Test
    void xnotifyWithDescriptorAndXcert() throws Exception {
        Xnotify n = roundTrip("70 00 00 0e | 03 61 62 63 | 73 6e 69 5f 6b 65 79 3d 61 3b", Xnotify.class);
        assertThat(n.channel()).isEqualTo(Channel.of("abc".getBytes()));
        assertThat(n.xdescr().get("sni_key")).contains("a");
        assertThat(roundTrip("30 00 00 03 | 30 01 00", Xcert.class).der()).containsExactly(0x30, 1, 0);
    }
}
