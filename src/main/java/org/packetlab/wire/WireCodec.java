package org.packetlab.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PacketLab codec core: whole messages to and from bytes, with no I/O and no state
 * (spec/wire-protocol.md §3, §5). The stream and Netty adapters ({@link MessageReader},
 * {@link PacketLabFrameDecoder}, {@link PacketLabCodec}) are built on it.
 *
 * <pre>
 *   +---------+-------------------+----------------------+
 *   | type u8 | len u24 (body)    | body (len bytes)     |
 *   +---------+-------------------+----------------------+
 * </pre>
 *
 * Decoding follows §3.3: an unknown type gives {@code Raw(malformed=false)}, a known type whose
 * body breaks its rules gives {@code Raw(malformed=true)}; neither is an exception. Where the
 * reference decoder lacks a bounds check (§16.11) this one has it. Every accepted message
 * re-encodes to the same bytes, except the canonical forms of §5.1 and §5.12: a {@code result}
 * with an explicit zero status or with unused trailing bytes, and an {@code ntag} with an
 * explicit zero errid, are written in their short form.
 */
public final class WireCodec {
    private WireCodec() {}

    /** Bytes of the header. */
    public static final int HEADER_LENGTH = 4;
    /** Largest body the 24-bit length field can describe. */
    public static final int MAX_BODY = Check.MAX_BODY;
    /** Room {@link #encodeTcpNdataInPlace} needs in front of a TCP chunk: the header and the fixed ndata fields. */
    public static final int TCP_NDATA_HEADROOM = HEADER_LENGTH + (int) ndataLength(Proto.TCP, 0, 0);

    /**
     * Decodes the message at the front of {@code in}, advancing its position past it; returns null,
     * leaving the position alone, when the message is not complete yet. Nothing is allocated for
     * bytes that have not arrived.
     */
    public static Message decode(ByteBuffer in) {
        int len = frameLengthOrMinus1(in);
        if (len < 0 || in.remaining() < HEADER_LENGTH + len) {
            return null;
        }
        return decodeAt(in, len);
    }

    /**
     * As {@link #decode(ByteBuffer)}, refusing a header that announces a body over {@code maxBody}
     * as soon as the header is there.
     *
     * @throws FrameTooLongException when the header announces more than {@code maxBody} bytes (position unchanged)
     */
    public static Message decode(ByteBuffer in, int maxBody) throws FrameTooLongException {
        int len = frameLengthOrMinus1(in);
        if (len < 0) {
            return null;
        }
        if (len > maxBody) {
            throw new FrameTooLongException(len, maxBody);
        }
        return in.remaining() < HEADER_LENGTH + len ? null : decodeAt(in, len);
    }

    private static int frameLengthOrMinus1(ByteBuffer in) {
        if (in.remaining() < HEADER_LENGTH) {
            return -1;
        }
        int p = in.position();
        return (in.get(p + 1) & 0xFF) << 16 | (in.get(p + 2) & 0xFF) << 8 | (in.get(p + 3) & 0xFF);
    }

    private static Message decodeAt(ByteBuffer in, int len) {
        ByteBuffer frame = in.slice(in.position(), HEADER_LENGTH + len);
        Message m = decodeWhole(Unpooled.wrappedBuffer(frame));
        in.position(in.position() + HEADER_LENGTH + len);
        return m;
    }

    /**
     * Decodes every message of a byte string that holds whole messages only.
     *
     * @throws TruncatedFrameException when the bytes end inside a message
     */
    public static List<Message> decodeAll(byte[] bytes) throws TruncatedFrameException {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Message> out = new ArrayList<>();
        for (Message m; (m = decode(in)) != null; ) {
            out.add(m);
        }
        if (in.hasRemaining()) {
            throw new TruncatedFrameException("input ends inside a message at offset " + in.position()
                    + " (" + in.remaining() + " bytes of it present)");
        }
        return out;
    }

    /**
     * Decodes exactly one whole message (header and body) from the readable bytes of {@code frame},
     * without moving its reader index. Frames come from {@link PacketLabFrameDecoder}.
     *
     * @throws WireException when the readable bytes are not exactly one message
     */
    public static Message decodeFrame(ByteBuf frame) throws WireException {
        int n = frame.readableBytes();
        if (n < HEADER_LENGTH || frame.getUnsignedMedium(frame.readerIndex() + 1) != n - HEADER_LENGTH) {
            throw new WireException("not one whole message: " + n + " bytes"
                    + (n < HEADER_LENGTH ? "" : " for a header announcing " + frame.getUnsignedMedium(frame.readerIndex() + 1)));
        }
        return decodeWhole(frame);
    }

    /** Decodes the readable bytes of {@code frame}, which the caller has checked to be exactly one message. */
    private static Message decodeWhole(ByteBuf frame) {
        int base = frame.readerIndex();
        int n = frame.readableBytes();
        int code = frame.getUnsignedByte(base);
        Optional<MessageType> type = MessageType.of(code);
        if (type.isEmpty()) {
            return Raw.unknown(copy(frame, base, n));
        }
        Body b = new Body(frame, base + HEADER_LENGTH, n - HEADER_LENGTH);
        try {
            Message m = decodeBody(type.get(), b);
            return m != null ? m : Raw.malformed(copy(frame, base, n), b.reason);
        } catch (IllegalArgumentException broken) {
            // the record constructors hold the remaining invariants of §5 (ranges, address lengths)
            return Raw.malformed(copy(frame, base, n), type.get().wireName() + ": " + broken.getMessage());
        }
    }

    private static byte[] copy(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return out;
    }

    /**
     * Index-based reads over one body; records why it is malformed. Every read is checked against
     * the body length, so a frame sliced from a larger buffer can never read its neighbour.
     */
    private static final class Body {
        final ByteBuf buf;
        final int base;
        final int len;
        String reason;

        Body(ByteBuf buf, int base, int len) {
            this.buf = buf;
            this.base = base;
            this.len = len;
        }

        private int at(int off, int n) {
            if (off < 0 || n < 0 || off > len - n) {
                throw new IllegalArgumentException("read of " + n + " bytes at " + off + " passes the " + len + "-byte body");
            }
            return base + off;
        }

        int u8(int off) {
            return buf.getUnsignedByte(at(off, 1));
        }

        int u16(int off) {
            return buf.getUnsignedShort(at(off, 2));
        }

        long u32(int off) {
            return buf.getUnsignedInt(at(off, 4));
        }

        long u64(int off) {
            return buf.getLong(at(off, 8));
        }

        byte[] bytes(int off, int n) {
            byte[] out = new byte[n];
            buf.getBytes(at(off, n), out);
            return out;
        }

        byte[] rest(int off) {
            return bytes(off, len - off);
        }

        String latin1(int off, int n) {
            return buf.toString(at(off, n), n, StandardCharsets.ISO_8859_1);
        }

        /** Marks the body malformed; returns null for the caller to return. */
        <T> T bad(String why) {
            reason = why;
            return null;
        }

        boolean lengthIs(int expected, String type) {
            if (len != expected) {
                reason = type + " body must be " + expected + " bytes, got " + len;
                return false;
            }
            return true;
        }

        boolean atLeast(int min, String type) {
            if (len < min) {
                reason = type + " body must be at least " + min + " bytes, got " + len;
                return false;
            }
            return true;
        }
    }

    /** The typed message, or null with {@code b.reason} set when the body is malformed. */
    private static Message decodeBody(MessageType type, Body b) {
        return switch (type) {
            case RAW -> throw new IllegalStateException("type 0x00 has no decoder");
            case CDATA -> cdata(b);
            case START -> b.lengthIs(0, "start") ? new Start() : null;
            case END -> b.lengthIs(0, "end") ? new End() : null;
            case CONT -> b.lengthIs(0, "cont") ? new Cont() : null;
            case SUSPD -> b.lengthIs(0, "suspd") ? new Suspd() : null;
            case RESUMD -> b.lengthIs(0, "resumd") ? new Resumd() : null;
            case YIELD -> b.lengthIs(8, "yield") ? new Yield(b.u64(0)) : null;
            case MREAD -> b.lengthIs(6, "mread") ? new Mread(b.u32(0), b.u16(4)) : null;
            case MWRITE -> {
                if (!b.atLeast(4, "mwrite")) {
                    yield null;
                }
                byte[] data = b.rest(4);
                yield Handoff.adopting(data, () -> new Mwrite(b.u32(0), data));
            }
            case MDATA -> {
                if (!b.atLeast(4, "mdata")) {
                    yield null;
                }
                byte[] data = b.rest(4);
                yield Handoff.adopting(data, () -> new Mdata(b.u32(0), data));
            }
            case NOPEN -> nopen(b);
            case NCLOSE -> b.lengthIs(1, "nclose") ? new Nclose(b.u8(0)) : null;
            case NSEND -> nsend(b);
            case NCAP -> {
                if (!b.atLeast(12, "ncap")) {
                    yield null;
                }
                byte[] filter = b.rest(11);
                yield Handoff.adopting(filter, () -> new Ncap(b.u8(0), b.u8(1), b.u8(2), b.u64(3), filter));
            }
            case NCTL -> nctl(b);
            case XCERT -> b.atLeast(1, "xcert") ? new Xcert(b.rest(0)) : null;
            case XPUB -> xpubOrXsub(b, true);
            case XSUB -> xpubOrXsub(b, false);
            case RESULT -> result(b);
            case NTAG -> {
                if (b.len == 11) {
                    yield new Ntag(b.u8(0), b.u16(1), b.u64(3), 0);
                }
                yield b.len == 13 ? new Ntag(b.u8(0), b.u16(1), b.u64(3), b.u16(11)) : b.bad("ntag body must be 11 or 13 bytes, got " + b.len);
            }
            case NSTAT -> nstat(b);
            case NDATA -> ndata(b);
            case NDROP -> b.lengthIs(27, "ndrop")
                    ? new Ndrop(b.u8(0), b.u8(1), b.u8(2), b.u64(3), b.u64(11), b.u32(19), b.u32(23)) : null;
            case NBLOCK -> b.lengthIs(13, "nblock") ? new Nblock(b.u8(0), b.u8(1), b.u8(2), b.u16(3), b.u64(5)) : null;
            case LINFO -> linfo(b);
            case XNOTIFY -> xnotify(b);
            case XREG -> {
                String key = b.latin1(0, b.len);
                yield Snikey.isValid(key) ? new Xreg(new Snikey(key)) : b.bad("xreg body is not a snikey (1-63 of [a-z0-9])");
            }
        };
    }

    private static Message result(Body b) {
        int monrej = Status.ECTLMONREJ.code();
        int monukn = Status.ECTLMONUKN.code();
        return switch (b.len) {
            case 0 -> Result.ok();
            case 2, 4, 6 -> {
                int errid = b.u16(0);
                if (errid == monrej) {
                    // the reference reads monindx and monerrid past a shorter body (§5.1 bug)
                    yield b.len == 6 ? new Result(errid, b.u16(2), b.u16(4)) : b.bad("ECTLMONREJ result needs 6 bytes, got " + b.len);
                }
                if (errid == monukn) {
                    yield b.len >= 4 ? new Result(errid, b.u16(2), 0) : b.bad("ECTLMONUKN result needs 4 bytes, got 2");
                }
                yield Result.of(errid);
            }
            default -> b.bad("result body must be 0, 2, 4 or 6 bytes, got " + b.len);
        };
    }

    private static Message cdata(Body b) {
        if (!b.atLeast(1, "cdata")) {
            return null;
        }
        int hintlen = b.u8(0);
        if (1 + hintlen > b.len) {
            return b.bad("cdata hint of " + hintlen + " bytes passes the body end");
        }
        String hint = b.latin1(1, hintlen);
        byte[] data = b.rest(1 + hintlen);
        return Handoff.adopting(data, () -> new Cdata(hint, data));
    }

    private static Message nopen(Body b) {
        if (!b.atLeast(7, "nopen")) {
            return null;
        }
        Optional<Family> family = Family.of(b.u8(1));
        Optional<Proto> proto = Proto.of(b.u8(2));
        if (family.isEmpty()) {
            return b.bad("nopen family " + b.u8(1) + " is not 4 or 6");
        }
        if (proto.isEmpty()) {
            return b.bad("nopen proto " + b.u8(2) + " is not 0, 6 or 17");
        }
        int a = family.get().addressLength();
        int sktid = b.u8(0);
        long rbufsz = b.u32(3);
        return switch (proto.get()) {
            case RAW -> b.lengthIs(7 + a, "raw nopen")
                    ? new Nopen(sktid, family.get(), Proto.RAW, rbufsz, b.bytes(7, a), 0, null, 0) : null;
            case UDP -> b.lengthIs(7 + a + 2, "UDP nopen")
                    ? new Nopen(sktid, family.get(), Proto.UDP, rbufsz, b.bytes(7, a), b.u16(7 + a), null, 0) : null;
            case TCP -> {
                if (b.len == 7 + a + 2) {
                    yield new Nopen(sktid, family.get(), Proto.TCP, rbufsz, b.bytes(7, a), b.u16(7 + a), null, 0);
                }
                if (b.len == 7 + 2 * a + 4) {
                    yield new Nopen(sktid, family.get(), Proto.TCP, rbufsz, b.bytes(7, a), b.u16(7 + a), b.bytes(9 + a, a), b.u16(9 + 2 * a));
                }
                // the reference accepts any other length "without addresses" (§5.7 quirk)
                yield b.bad("TCP nopen body must be " + (9 + a) + " or " + (11 + 2 * a) + " bytes, got " + b.len);
            }
        };
    }

    private static Message nsend(Body b) {
        if (!b.atLeast(13, "nsend")) {
            return null;
        }
        Optional<Proto> proto = Proto.of(b.u8(2));
        if (proto.isEmpty()) {
            return b.bad("nsend proto " + b.u8(2) + " is not 0, 6 or 17");
        }
        int sktid = b.u8(0);
        int family = b.u8(1);
        long time = b.u64(3);
        int tag = b.u16(11);
        if (proto.get() != Proto.UDP) {
            byte[] data = b.rest(13);
            return Handoff.adopting(data, () -> new Nsend(sktid, family, proto.get(), time, tag, null, 0, data));
        }
        Optional<Family> f = Family.of(family);
        if (f.isEmpty()) {
            return b.bad("UDP nsend family " + family + " is not 4 or 6");
        }
        int a = f.get().addressLength();
        // the reference does not check that the destination fits (§5.9 bug)
        if (b.len < 13 + a + 2) {
            return b.bad("UDP nsend body of " + b.len + " bytes cannot hold its destination");
        }
        byte[] raddr = b.bytes(13, a);
        int rport = b.u16(13 + a);
        byte[] data = b.rest(15 + a);
        return Handoff.adopting(data, () -> new Nsend(sktid, family, Proto.UDP, time, tag, raddr, rport, data));
    }

    private static Message ndata(Body b) {
        if (!b.atLeast(11, "ndata")) {
            return null;
        }
        Optional<Proto> proto = Proto.of(b.u8(2));
        if (proto.isEmpty()) {
            return b.bad("ndata proto " + b.u8(2) + " is not 0, 6 or 17");
        }
        int sktid = b.u8(0);
        int family = b.u8(1);
        long time = b.u64(3);
        if (proto.get() != Proto.UDP) {
            byte[] data = b.rest(11);
            return Handoff.adopting(data, () -> new Ndata(sktid, family, proto.get(), time, null, 0, data));
        }
        Optional<Family> f = Family.of(family);
        if (f.isEmpty()) {
            return b.bad("UDP ndata family " + family + " is not 4 or 6");
        }
        int a = f.get().addressLength();
        // the reference does not check that the source fits (§5.14 bug)
        if (b.len < 11 + a + 2) {
            return b.bad("UDP ndata body of " + b.len + " bytes cannot hold its source");
        }
        byte[] raddr = b.bytes(11, a);
        int rport = b.u16(11 + a);
        byte[] data = b.rest(13 + a);
        return Handoff.adopting(data, () -> new Ndata(sktid, family, Proto.UDP, time, raddr, rport, data));
    }

    private static Message nctl(Body b) {
        // the reference reads the command byte past an 11-byte body (§5.11 bug); longer bodies
        // would lose their tail on re-encoding, so only the exact 12-byte form is accepted
        if (!b.lengthIs(12, "nctl")) {
            return null;
        }
        if (b.u8(2) != Proto.TCP.code()) {
            return b.bad("nctl proto " + b.u8(2) + " is not TCP");
        }
        return new Nctl(b.u8(0), b.u8(1), b.u64(3), b.u8(11));
    }

    private static Message nstat(Body b) {
        return switch (b.len) {
            case 12 -> new Nstat(b.u8(0), b.u8(1), b.u8(2), b.u64(3), b.u8(11), null, 0);
            case 17, 29 -> new Nstat(b.u8(0), b.u8(1), b.u8(2), b.u64(3), 0, b.bytes(11, b.len - 13), b.u16(b.len - 2));
            default -> b.bad("nstat body must be 12, 17 or 29 bytes, got " + b.len);
        };
    }

    private static Message linfo(Body b) {
        if (!b.atLeast(12, "linfo")) {
            return null;
        }
        long namelen = b.u32(0);
        long auxlen = b.u32(4);
        long infolen = b.u32(8);
        if (12 + namelen + auxlen + infolen != b.len) {
            return b.bad("linfo lengths " + namelen + "+" + auxlen + "+" + infolen + " do not fill the " + b.len + "-byte body");
        }
        String name = b.latin1(12, (int) namelen);
        byte[] aux = b.bytes(12 + (int) namelen, (int) auxlen);
        byte[] info = b.rest(12 + (int) (namelen + auxlen));
        return Handoff.adopting(info, () -> new Linfo(name, aux, info));
    }

    private static Message xpubOrXsub(Body b, boolean pub) {
        String what = pub ? "xpub" : "xsub";
        if (!b.atLeast(33, what)) {
            return null;
        }
        byte[] body = b.rest(0);
        List<Channel> channels = new ArrayList<>();
        int end = ChannelList.scan(body, 0, body.length, channels);
        if (end < 0) {
            return b.bad(what + " channel list is malformed");
        }
        if (body.length - end < Xpub.KEY_LENGTH) {
            return b.bad(what + " has no room for the 32-byte eopkey after its channel list");
        }
        byte[] eopkey = b.bytes(end, Xpub.KEY_LENGTH);
        String text = b.latin1(end + Xpub.KEY_LENGTH, body.length - end - Xpub.KEY_LENGTH);
        NameValues.Syntax syntax = pub ? NameValues.Syntax.XDESCR : NameValues.Syntax.DATTR;
        Optional<NameValues> nv = NameValues.tryParse(text, syntax);
        if (nv.isEmpty()) {
            return b.bad(what + " " + (pub ? "xdescr" : "dattr") + " is malformed");
        }
        ChannelList list = new ChannelList(channels);
        return pub ? new Xpub(list, eopkey, nv.get()) : new Xsub(list, eopkey, nv.get());
    }

    private static Message xnotify(Body b) {
        if (!b.atLeast(1, "xnotify")) {
            return null;
        }
        int chanlen = b.u8(0);
        if (chanlen < 1 || chanlen > Channel.MAX_LENGTH || 1 + chanlen > b.len) {
            return b.bad("xnotify channel length " + chanlen + " is not 1..32 within the body");
        }
        Optional<NameValues> xdescr = NameValues.tryParse(b.latin1(1 + chanlen, b.len - 1 - chanlen), NameValues.Syntax.XDESCR);
        if (xdescr.isEmpty()) {
            return b.bad("xnotify xdescr is malformed");
        }
        return new Xnotify(new Channel(b.bytes(1, chanlen)), xdescr.get());
    }

    // ---------------------------------------------------------------- encoding

    /** The exact number of bytes {@code m} encodes to, header included. */
    public static int encodedLength(Message m) {
        return m instanceof Raw r ? r.bytesUnsafe().length : HEADER_LENGTH + bodyLength(m);
    }

    private static int bodyLength(Message m) {
        return switch (m) {
            case Raw r -> r.bodyLength();
            case Start s -> 0;
            case End e -> 0;
            case Cont c -> 0;
            case Suspd s -> 0;
            case Resumd r -> 0;
            case Yield y -> 8;
            case Cdata c -> 1 + c.hint().length() + c.dataUnsafe().length;
            case Mread r -> 6;
            case Mwrite w -> 4 + w.dataUnsafe().length;
            case Mdata d -> 4 + d.dataUnsafe().length;
            case Nopen n -> 7 + n.laddrUnsafe().length + (n.proto() == Proto.RAW ? 0 : 2)
                    + (n.isConnect() ? n.raddrUnsafe().length + 2 : 0);
            case Nclose c -> 1;
            case Nsend s -> 13 + (s.proto() == Proto.UDP ? s.raddrUnsafe().length + 2 : 0) + s.dataUnsafe().length;
            case Ncap c -> 11 + c.filterUnsafe().length;
            case Nctl c -> 12;
            case Xcert x -> x.derUnsafe().length;
            case Xpub x -> x.channels().encodedLength() + Xpub.KEY_LENGTH + x.xdescr().toString().length();
            case Xsub x -> x.channels().encodedLength() + Xpub.KEY_LENGTH + x.dattr().toString().length();
            case Xreg x -> x.snikey().value().length();
            case Result r -> resultLength(r);
            case Ntag t -> t.errid() == 0 ? 11 : 13;
            case Nstat s -> s.isEstablished() ? 13 + s.raddrUnsafe().length : 12;
            case Ndata d -> (int) ndataLength(d.proto(), d.raddrUnsafe().length, d.dataUnsafe().length);
            case Ndrop d -> 27;
            case Nblock n -> 13;
            case Linfo l -> 12 + l.name().length() + l.auxUnsafe().length + l.infoUnsafe().length;
            case Xnotify x -> 1 + x.channel().length() + x.xdescr().toString().length();
        };
    }

    /** Body length of an ndata: the fixed fields, a UDP source, the data (long: may exceed a body, for checking). */
    private static long ndataLength(Proto proto, int raddrLength, long dataLength) {
        return 11 + (proto == Proto.UDP ? raddrLength + 2 : 0) + dataLength;
    }

    private static int resultLength(Result r) {
        if (r.errid() == 0) {
            return 0;
        }
        if (r.errid() == Status.ECTLMONREJ.code()) {
            return 6;
        }
        return r.errid() == Status.ECTLMONUKN.code() ? 4 : 2;
    }

    /** The encoding of {@code m}: an array of exactly {@link #encodedLength} bytes. */
    public static byte[] encode(Message m) {
        byte[] out = new byte[encodedLength(m)];
        write(m, Unpooled.wrappedBuffer(out).writerIndex(0));
        return out;
    }

    /**
     * Appends the encoding of {@code m} to {@code out}.
     *
     * @throws EncodeException when {@code out} cannot grow to hold it (nothing is written then)
     */
    public static void encode(Message m, ByteBuf out) throws EncodeException {
        int n = encodedLength(m);
        if (out.maxWritableBytes() < n) {
            throw new EncodeException(m.type().wireName() + " of " + n + " bytes does not fit the buffer ("
                    + out.maxWritableBytes() + " writable)");
        }
        out.ensureWritable(n);
        write(m, out);
    }

    private static void write(Message m, ByteBuf out) {
        if (m instanceof Raw r) {
            out.writeBytes(r.bytesUnsafe());
            return;
        }
        writeHeader(out, m.type(), bodyLength(m));
        switch (m) {
            case Raw r -> throw new IllegalStateException("handled above");
            case Start s -> { }
            case End e -> { }
            case Cont c -> { }
            case Suspd s -> { }
            case Resumd r -> { }
            case Yield y -> out.writeLong(y.rhint());
            case Cdata c -> {
                out.writeByte(c.hint().length());
                out.writeCharSequence(c.hint(), StandardCharsets.ISO_8859_1);
                out.writeBytes(c.dataUnsafe());
            }
            case Mread r -> out.writeInt((int) r.addr()).writeShort(r.len());
            case Mwrite w -> out.writeInt((int) w.addr()).writeBytes(w.dataUnsafe());
            case Mdata d -> out.writeInt((int) d.addr()).writeBytes(d.dataUnsafe());
            case Nopen n -> {
                out.writeByte(n.sktid()).writeByte(n.family().code()).writeByte(n.proto().code()).writeInt((int) n.rbufsz());
                out.writeBytes(n.laddrUnsafe());
                if (n.proto() != Proto.RAW) {
                    out.writeShort(n.lport());
                }
                if (n.isConnect()) {
                    out.writeBytes(n.raddrUnsafe()).writeShort(n.rport());
                }
            }
            case Nclose c -> out.writeByte(c.sktid());
            case Nsend s -> {
                out.writeByte(s.sktid()).writeByte(s.family()).writeByte(s.proto().code()).writeLong(s.time()).writeShort(s.tag());
                if (s.proto() == Proto.UDP) {
                    out.writeBytes(s.raddrUnsafe()).writeShort(s.rport());
                }
                out.writeBytes(s.dataUnsafe());
            }
            case Ncap c -> out.writeByte(c.sktid()).writeByte(c.family()).writeByte(c.proto()).writeLong(c.endtime())
                    .writeBytes(c.filterUnsafe());
            case Nctl c -> out.writeByte(c.sktid()).writeByte(c.family()).writeByte(Proto.TCP.code()).writeLong(c.time())
                    .writeByte(c.command());
            case Xcert x -> out.writeBytes(x.derUnsafe());
            case Xpub x -> writeChannelsKeyText(out, x.channels(), x.eopkeyUnsafe(), x.xdescr());
            case Xsub x -> writeChannelsKeyText(out, x.channels(), x.eopkeyUnsafe(), x.dattr());
            case Xreg x -> out.writeCharSequence(x.snikey().value(), StandardCharsets.ISO_8859_1);
            case Result r -> {
                if (r.errid() != 0) {
                    out.writeShort(r.errid());
                    if (r.errid() == Status.ECTLMONREJ.code()) {
                        out.writeShort(r.monindx()).writeShort(r.monerrid());
                    } else if (r.errid() == Status.ECTLMONUKN.code()) {
                        out.writeShort(r.monindx());
                    }
                }
            }
            case Ntag t -> {
                out.writeByte(t.sktid()).writeShort(t.tag()).writeLong(t.time());
                if (t.errid() != 0) {
                    out.writeShort(t.errid());
                }
            }
            case Nstat s -> {
                out.writeByte(s.sktid()).writeByte(s.family()).writeByte(s.proto()).writeLong(s.time());
                if (s.isEstablished()) {
                    out.writeBytes(s.raddrUnsafe()).writeShort(s.rport());
                } else {
                    out.writeByte(s.code());
                }
            }
            case Ndata d -> {
                writeNdataFields(out, d.sktid(), d.family(), d.proto(), d.time(), d.raddrUnsafe(), d.rport());
                out.writeBytes(d.dataUnsafe());
            }
            case Ndrop d -> out.writeByte(d.sktid()).writeByte(d.family()).writeByte(d.proto()).writeLong(d.tfirst())
                    .writeLong(d.tlast()).writeInt((int) d.unitcnt()).writeInt((int) d.bytecnt());
            case Nblock n -> out.writeByte(n.sktid()).writeByte(n.family()).writeByte(n.proto()).writeShort(n.monerrid())
                    .writeLong(n.time());
            case Linfo l -> {
                out.writeInt(l.name().length()).writeInt(l.auxUnsafe().length).writeInt(l.infoUnsafe().length);
                out.writeCharSequence(l.name(), StandardCharsets.ISO_8859_1);
                out.writeBytes(l.auxUnsafe()).writeBytes(l.infoUnsafe());
            }
            case Xnotify x -> {
                out.writeByte(x.channel().length()).writeBytes(x.channel().idUnsafe());
                out.writeCharSequence(x.xdescr().toString(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static void writeHeader(ByteBuf out, MessageType type, int bodyLength) {
        out.writeInt(type.code() << 24 | bodyLength);
    }

    /** The ndata body up to its data (§5.14). */
    private static void writeNdataFields(ByteBuf out, int sktid, int family, Proto proto, long time, byte[] raddr, int rport) {
        out.writeByte(sktid).writeByte(family).writeByte(proto.code()).writeLong(time);
        if (proto == Proto.UDP) {
            out.writeBytes(raddr).writeShort(rport);
        }
    }

    /**
     * Turns {@code chunk}, whose readable bytes are a chunk of a TCP stream, into the encoding of
     * {@link Ndata#tcp(int, Family, long, ByteBuf) Ndata.tcp(sktid, family, time, chunk)} without
     * copying the data: writes the header into the {@link #TCP_NDATA_HEADROOM} bytes in front of the
     * reader index and moves the reader index back over it. Endpoints read TCP into buffers that
     * leave this room, so a chunk of a stream reaches TLS as one buffer, uncopied. Returns
     * {@code chunk} itself: ownership does not change.
     *
     * @throws IllegalArgumentException when {@code sktid} is not a u8, the data does not fit one
     *     message, or there is less room in front of it (the buffer is left as it was)
     */
    public static ByteBuf encodeTcpNdataInPlace(ByteBuf chunk, int sktid, Family family, long time) {
        Check.u8(sktid, "sktid");
        long body = ndataLength(Proto.TCP, 0, chunk.readableBytes());
        Check.body(body, "ndata");
        if (chunk.readerIndex() < TCP_NDATA_HEADROOM) {
            throw new IllegalArgumentException("a TCP ndata header needs " + TCP_NDATA_HEADROOM
                    + " bytes in front of the data, the buffer has " + chunk.readerIndex());
        }
        int start = chunk.readerIndex() - TCP_NDATA_HEADROOM;
        int end = chunk.writerIndex();
        chunk.setIndex(start, start);
        writeHeader(chunk, MessageType.NDATA, (int) body);
        writeNdataFields(chunk, sktid, family.code(), Proto.TCP, time, null, 0);
        return chunk.setIndex(start, end);
    }

    private static void writeChannelsKeyText(ByteBuf out, ChannelList channels, byte[] key, NameValues text) {
        for (Channel c : channels.channels()) {
            out.writeByte(c.length()).writeBytes(c.idUnsafe());
        }
        out.writeByte(0).writeBytes(key).writeCharSequence(text.toString(), StandardCharsets.ISO_8859_1);
    }
}
