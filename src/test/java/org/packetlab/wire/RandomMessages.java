package org.packetlab.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Random valid messages of every type, for property tests. */
final class RandomMessages {

    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    private static final String VALUE_CHARS = NAME_CHARS + ".:[],/() \t";
    private static final String SNIKEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Random r;

    RandomMessages(Random r) {
        this.r = r;
    }

    byte[] bytes(int min, int max) {
        byte[] b = new byte[min + r.nextInt(max - min + 1)];
        r.nextBytes(b);
        return b;
    }

    private int u8() {
        return r.nextInt(256);
    }

    private int u16() {
        return r.nextInt(0x10000);
    }

    private long u32() {
        return r.nextLong() & 0xFFFFFFFFL;
    }

    private Family family() {
        return r.nextBoolean() ? Family.IPV4 : Family.IPV6;
    }

    private Proto proto() {
        return Proto.values()[r.nextInt(3)];
    }

    private String chars(String alphabet, int min, int max) {
        StringBuilder sb = new StringBuilder();
        int n = min + r.nextInt(max - min + 1);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private String latin1(int max) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.append((char) r.nextInt(256));
        }
        return sb.toString();
    }

    NameValues nameValues(NameValues.Syntax syntax) {
        List<NameValues.Pair> pairs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String name = chars(NAME_CHARS, 1, 8);
            if (syntax == NameValues.Syntax.DATTR && !names.add(name)) {
                continue;
            }
            String values = syntax == NameValues.Syntax.XDESCR ? VALUE_CHARS + "*?" : VALUE_CHARS;
            pairs.add(new NameValues.Pair(name, chars(values, 0, 12)));
        }
        return NameValues.of(syntax, pairs);
    }

    private Channel channel() {
        return Channel.of(bytes(1, 32));
    }

    private ChannelList channels() {
        List<Channel> list = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            list.add(channel());
        }
        return new ChannelList(list);
    }

    private int monitorFreeStatus() {
        int errid;
        do {
            errid = r.nextBoolean() ? Status.values()[r.nextInt(Status.values().length - 1)].code() : u16();
        } while (errid == Status.ECTLMONREJ.code() || errid == Status.ECTLMONUKN.code());
        return errid;
    }

    /** One random message; {@code Raw} ones have an unknown type code. */
    Message message() {
        int kind = r.nextInt(30);
        return switch (kind) {
            case 0 -> new Cdata(latin1(12), bytes(0, 40));
            case 1 -> new Start();
            case 2 -> new End();
            case 3 -> new Cont();
            case 4 -> new Yield(r.nextLong());
            case 5 -> {
                int len = 1 + r.nextInt(0xFFFF);
                yield new Mread(r.nextLong(0, 0x100000000L - len), len);
            }
            case 6 -> {
                byte[] data = bytes(0, 40);
                yield new Mwrite(r.nextLong(0, 0x100000000L - data.length), data);
            }
            case 7 -> nopen();
            case 8 -> new Nclose(u8());
            case 9 -> nsend();
            case 10 -> new Ncap(u8(), u8(), u8(), r.nextLong(), bytes(1, 40));
            case 11 -> new Nctl(u8(), u8(), r.nextLong(), u8());
            case 12 -> new Xcert(bytes(1, 60));
            case 13 -> new Xpub(channels(), bytes(32, 32), nameValues(NameValues.Syntax.XDESCR));
            case 14 -> new Xsub(channels(), bytes(32, 32), nameValues(NameValues.Syntax.DATTR));
            case 15 -> switch (r.nextInt(3)) {
                case 0 -> Result.monitorRejected(u16(), u16());
                case 1 -> Result.monitorFailed(u16());
                default -> Result.of(monitorFreeStatus());
            };
            case 16 -> new Mdata(u32(), bytes(0, 40));
            case 17 -> new Ntag(u8(), u16(), r.nextLong(), r.nextBoolean() ? 0 : u16());
            case 18 -> {
                int alen = family().addressLength();
                yield r.nextBoolean()
                        ? new Nstat(u8(), u8(), u8(), r.nextLong(), u8(), null, 0)
                        : new Nstat(u8(), u8(), u8(), r.nextLong(), 0, bytes(alen, alen), u16());
            }
            case 19 -> ndata();
            case 20 -> new Ndrop(u8(), u8(), u8(), r.nextLong(), r.nextLong(), u32(), u32());
            case 21 -> new Nblock(u8(), u8(), u8(), u16(), r.nextLong());
            case 22 -> new Linfo(latin1(10), bytes(0, 4), bytes(0, 30));
            case 23 -> new Suspd();
            case 24 -> new Resumd();
            case 25 -> new Xnotify(channel(), nameValues(NameValues.Syntax.XDESCR));
            case 26 -> new Xreg(new Snikey(chars(SNIKEY_CHARS, 1, 63)));
            default -> unknownRaw();
        };
    }

    private Message nopen() {
        Family f = family();
        Proto p = proto();
        byte[] laddr = bytes(f.addressLength(), f.addressLength());
        return switch (p) {
            case RAW -> new Nopen(u8(), f, p, u32(), laddr, 0, null, 0);
            case UDP -> new Nopen(u8(), f, p, u32(), laddr, u16(), null, 0);
            case TCP -> r.nextBoolean()
                    ? new Nopen(u8(), f, p, u32(), laddr, u16(), bytes(f.addressLength(), f.addressLength()), u16())
                    : new Nopen(u8(), f, p, u32(), laddr, u16(), null, 0);
        };
    }

    private Message nsend() {
        Proto p = proto();
        if (p == Proto.UDP) {
            Family f = family();
            return new Nsend(u8(), f.code(), p, r.nextLong(), u16(), bytes(f.addressLength(), f.addressLength()), u16(), bytes(0, 40));
        }
        return new Nsend(u8(), u8(), p, r.nextLong(), u16(), null, 0, bytes(0, 40));
    }

    private Message ndata() {
        Proto p = proto();
        if (p == Proto.UDP) {
            Family f = family();
            return new Ndata(u8(), f.code(), p, r.nextLong(), bytes(f.addressLength(), f.addressLength()), u16(), bytes(0, 40));
        }
        return new Ndata(u8(), u8(), p, r.nextLong(), null, 0, bytes(0, 40));
    }

    private Message unknownRaw() {
        int code;
        do {
            code = u8();
        } while (MessageType.of(code).isPresent());
        byte[] body = bytes(0, 20);
        byte[] all = new byte[4 + body.length];
        all[0] = (byte) code;
        all[3] = (byte) body.length;
        System.arraycopy(body, 0, all, 4, body.length);
        return Raw.unknown(all);
    }

    /** A whole frame of a known or random type with a random body of random length (mostly malformed). */
    byte[] randomFrame() {
        int code = r.nextInt(4) == 0 ? u8() : MessageType.values()[1 + r.nextInt(MessageType.values().length - 1)].code();
        byte[] body = bytes(0, r.nextBoolean() ? 16 : 64);
        byte[] all = new byte[4 + body.length];
        all[0] = (byte) code;
        all[3] = (byte) body.length;
        System.arraycopy(body, 0, all, 4, body.length);
        return all;
    }
}
