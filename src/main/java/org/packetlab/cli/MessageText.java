package org.packetlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.packetlab.wire.Cdata;
import org.packetlab.wire.Channel;
import org.packetlab.wire.Cont;
import org.packetlab.wire.End;
import org.packetlab.wire.Linfo;
import org.packetlab.wire.Mdata;
import org.packetlab.wire.Message;
import org.packetlab.wire.MessageType;
import org.packetlab.wire.Mread;
import org.packetlab.wire.Mwrite;
import org.packetlab.wire.Nblock;
import org.packetlab.wire.Ncap;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.Ndata;
import org.packetlab.wire.Ndrop;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Nstat;
import org.packetlab.wire.Ntag;
import org.packetlab.wire.Proto;
import org.packetlab.wire.Raw;
import org.packetlab.wire.Result;
import org.packetlab.wire.Resumd;
import org.packetlab.wire.Start;
import org.packetlab.wire.Status;
import org.packetlab.wire.Suspd;
import org.packetlab.wire.WireCodec;
import org.packetlab.wire.Xcert;
import org.packetlab.wire.Xnotify;
import org.packetlab.wire.Xpub;
import org.packetlab.wire.Xreg;
import org.packetlab.wire.Xsub;
import org.packetlab.wire.Yield;

/**
 * Renders decoded messages the way the reference's decoder printed the vectors' {@code .decoded.txt}
 * ({@code [#i @offset] type=0x2a(nopen) len=23 sktid=1 ...} then the hex), or as one JSON object
 * per message. Fields the reference does not print (nstat address, ndata UDP source, result monitor
 * fields) come last on the line.
 */
final class MessageText {
    private MessageText() {}

    /** Bytes of data shown before the reference printer cuts it with {@code ...}. */
    static final int DATA_SHOWN = 120;
    private static final int HEX_PER_LINE = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One printed field: the key of the text form, the key of the JSON form, and the value. */
    private record Field(String key, String jsonKey, Object value) {
        Field(String key, Object value) {
            this(key, key, value);
        }
    }

    /** Payload bytes, shown as escaped text. */
    private record Data(byte[] bytes) {}

    /** A string shown in quotes in the text form. */
    private record Quoted(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The message's lines: the header line with every field, "  hex:", and the hex in 32-byte lines. */
    static String text(int index, long offset, Message m) {
        byte[] bytes = WireCodec.encode(m);
        StringBuilder sb = new StringBuilder();
        sb.append("[#").append(index).append(" @").append(offset).append("] ")
                .append(String.format("type=0x%02x(%s) len=%d", bytes[0] & 0xFF, MessageType.nameOf(bytes[0] & 0xFF), bytes.length));
        for (Field f : fields(m)) {
            sb.append(' ').append(f.key()).append('=').append(textValue(f.value()));
        }
        sb.append("\n  hex:\n");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < bytes.length; i += HEX_PER_LINE) {
            sb.append("    ").append(hex.formatHex(bytes, i, Math.min(bytes.length, i + HEX_PER_LINE))).append('\n');
        }
        return sb.toString();
    }

    /** The message as one line of JSON: index, offset, type, len, every field (data untruncated), hex. */
    static String json(int index, long offset, Message m) {
        byte[] bytes = WireCodec.encode(m);
        ObjectNode o = JSON.createObjectNode();
        o.put("index", index).put("offset", offset).put("code", bytes[0] & 0xFF)
                .put("type", MessageType.nameOf(bytes[0] & 0xFF)).put("len", bytes.length);
        for (Field f : fields(m)) {
            switch (f.value()) {
                case Long l -> o.put(f.jsonKey(), l);
                case Integer i -> o.put(f.jsonKey(), i);
                case BigInteger b -> o.put(f.jsonKey(), b);
                case Boolean b -> o.put(f.jsonKey(), b);
                case Data d -> o.put(f.jsonKey(), escape(d.bytes(), Integer.MAX_VALUE));
                default -> o.put(f.jsonKey(), f.value().toString());
            }
        }
        o.put("hex", HexFormat.of().formatHex(bytes));
        return o.toString();
    }

    private static String textValue(Object v) {
        return switch (v) {
            case Data d -> '"' + escape(d.bytes(), DATA_SHOWN) + (d.bytes().length > DATA_SHOWN ? "...\"" : "\"");
            case Quoted q -> '"' + q.text() + '"';
            default -> v.toString();
        };
    }

    /** Printable ASCII as is, every other byte (and the quote and backslash) as {@code \xNN}; at most {@code max} bytes. */
    static String escape(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(max, b.length); i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }

    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }

    private static String ip(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + address.length + " bytes", e);
        }
    }

    private static List<Field> fields(Message m) {
        List<Field> f = new ArrayList<>();
        switch (m) {
            case Start s -> { }
            case End e -> { }
            case Cont c -> { }
            case Suspd s -> { }
            case Resumd r -> { }
            case Yield y -> f.add(new Field("rhint", unsigned(y.rhint())));
            case Cdata c -> {
                f.add(new Field("hint", new Data(c.hint().getBytes(StandardCharsets.ISO_8859_1))));
                f.add(new Field("len", "datalen", c.data().length));
                f.add(new Field("data", new Data(c.data())));
            }
            case Mread r -> {
                f.add(new Field("addr", String.format("0x%08x", r.addr())));
                f.add(new Field("len", "readlen", r.len()));
            }
            case Mwrite w -> addrData(f, w.addr(), w.data());
            case Mdata d -> addrData(f, d.addr(), d.data());
            case Nopen n -> {
                socket(f, n.sktid(), n.family().code(), n.proto().code());
                f.add(new Field("rbufsz", n.rbufsz()));
                f.add(new Field("laddr", ip(n.laddr())));
                if (n.proto() != Proto.RAW) {
                    f.add(new Field("lport", n.lport()));
                }
                if (n.isConnect()) {
                    f.add(new Field("raddr", ip(n.raddr())));
                    f.add(new Field("rport", n.rport()));
                } else {
                    f.add(new Field("raddr", "(none)"));
                }
            }
            case Nclose c -> f.add(new Field("sktid", c.sktid()));
            case Nsend s -> {
                socket(f, s.sktid(), s.family(), s.proto().code());
                f.add(new Field("tag", s.tag()));
                f.add(new Field("time", unsigned(s.time())));
                f.add(new Field("len", "datalen", s.dataLength()));
                s.destination().ifPresent(d -> {
                    f.add(new Field("raddr", d.getAddress().getHostAddress()));
                    f.add(new Field("rport", d.getPort()));
                });
                f.add(new Field("data", new Data(s.data())));
            }
            case Ncap c -> {
                socket(f, c.sktid(), c.family(), c.proto());
                f.add(new Field("endtime", unsigned(c.endtime())));
                f.add(new Field("len", "datalen", c.filter().length));
                f.add(new Field("data", new Data(c.filter())));
            }
            case Nctl c -> {
                socket(f, c.sktid(), c.family(), c.proto().code());
                f.add(new Field("time", unsigned(c.time())));
                f.add(new Field("command", c.command()));
            }
            case Xcert x -> f.add(new Field("derlen", x.der().length));
            case Xpub x -> {
                f.add(new Field("chlist", channels(x.channels().channels())));
                f.add(new Field("eopkey", HexFormat.of().formatHex(x.eopkey())));
                f.add(new Field("xdescr", new Quoted(x.xdescr().toString())));
            }
            case Xsub x -> {
                f.add(new Field("chlist", channels(x.channels().channels())));
                f.add(new Field("eopkey", HexFormat.of().formatHex(x.eopkey())));
                f.add(new Field("dattr", new Quoted(x.dattr().toString())));
            }
            case Xnotify x -> {
                f.add(new Field("channel", x.channel().toString()));
                f.add(new Field("xdescr", new Quoted(x.xdescr().toString())));
            }
            case Xreg x -> f.add(new Field("snikey", x.snikey().value()));
            case Result r -> {
                f.add(new Field("errid", r.errid()));
                if (r.status().isMonitorStatus()) {
                    f.add(new Field("monindx", r.monindx()));
                }
                if (r.status() == Status.ECTLMONREJ) {
                    f.add(new Field("monerrid", r.monerrid()));
                }
            }
            case Ntag t -> {
                f.add(new Field("sktid", t.sktid()));
                f.add(new Field("tag", t.tag()));
                f.add(new Field("time", unsigned(t.time())));
                f.add(new Field("errid", t.errid()));
            }
            case Nstat s -> {
                socket(f, s.sktid(), s.family(), s.proto());
                f.add(new Field("time", unsigned(s.time())));
                f.add(new Field("code", s.code()));
                s.remote().ifPresent(r -> {
                    f.add(new Field("raddr", r.getAddress().getHostAddress()));
                    f.add(new Field("rport", r.getPort()));
                });
            }
            case Ndata d -> {
                socket(f, d.sktid(), d.family(), d.proto().code());
                f.add(new Field("time", unsigned(d.time())));
                f.add(new Field("len", "datalen", d.dataLength()));
                f.add(new Field("data", new Data(d.data())));
                d.source().ifPresent(s -> {
                    f.add(new Field("raddr", s.getAddress().getHostAddress()));
                    f.add(new Field("rport", s.getPort()));
                });
            }
            case Ndrop d -> {
                socket(f, d.sktid(), d.family(), d.proto());
                f.add(new Field("tfirst", unsigned(d.tfirst())));
                f.add(new Field("tlast", unsigned(d.tlast())));
                f.add(new Field("unitcnt", d.unitcnt()));
                f.add(new Field("bytecnt", d.bytecnt()));
            }
            case Nblock n -> {
                socket(f, n.sktid(), n.family(), n.proto());
                f.add(new Field("monerrid", n.monerrid()));
                f.add(new Field("time", unsigned(n.time())));
            }
            case Linfo l -> {
                f.add(new Field("name", new Data(l.name().getBytes(StandardCharsets.ISO_8859_1))));
                f.add(new Field("aux", HexFormat.of().formatHex(l.aux())));
                f.add(new Field("info", new Data(l.info())));
            }
            case Raw r -> {
                f.add(new Field("malformed", r.malformed()));
                f.add(new Field("reason", new Quoted(r.reason())));
            }
        }
        return f;
    }

    private static void socket(List<Field> f, int sktid, int family, int proto) {
        f.add(new Field("sktid", sktid));
        f.add(new Field("family", family));
        f.add(new Field("proto", proto));
    }

    private static void addrData(List<Field> f, long addr, byte[] data) {
        f.add(new Field("addr", String.format("0x%08x", addr)));
        f.add(new Field("len", "datalen", data.length));
        f.add(new Field("data", new Data(data)));
    }

    private static String channels(List<Channel> channels) {
        return channels.stream().map(Channel::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
