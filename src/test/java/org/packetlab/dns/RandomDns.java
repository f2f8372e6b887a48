package org.packetlab.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Random DNS messages and byte strings for property tests; a seed reproduces every case. */
final class RandomDns {

    private RandomDns() {}

    static DnsMessage message(Random r) {
        List<String> names = names(r);
        List<DnsQuestion> questions = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            questions.add(new DnsQuestion(pick(r, names), new DnsType(r.nextInt(65536)), r.nextInt(65536)));
        }
        List<DnsRecord> answers = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            answers.add(record(r, names));
        }
        return new DnsMessage(r.nextInt(65536), r.nextInt(65536), questions, answers);
    }

    /** Random bytes, mostly short, with a plausible header now and then. */
    static byte[] bytes(Random r) {
        byte[] b = new byte[r.nextInt(r.nextBoolean() ? 24 : 300)];
        r.nextBytes(b);
        if (b.length >= 12 && r.nextBoolean()) {
            for (int i = 4; i < 12; i += 2) {
                b[i] = 0;
                b[i + 1] = (byte) r.nextInt(4);
            }
        }
        return b;
    }

    /** {@code wire} truncated, with bytes flipped, or with bytes inserted. */
    static byte[] mangle(Random r, byte[] wire) {
        byte[] b = wire.clone();
        switch (r.nextInt(3)) {
            case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length + 1));
            case 1 -> {
                for (int n = 1 + r.nextInt(4); n > 0 && b.length > 0; n--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            default -> {
                int at = r.nextInt(b.length + 1);
                byte[] extra = new byte[1 + r.nextInt(8)];
                r.nextBytes(extra);
                byte[] out = new byte[b.length + extra.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(extra, 0, out, at, extra.length);
                System.arraycopy(b, at, out, at + extra.length, b.length - at);
                b = out;
            }
        }
        return b;
    }

    private static DnsRecord record(Random r, List<String> names) {
        String name = pick(r, names);
        long ttl = r.nextLong(0x1_0000_0000L);
        return switch (r.nextInt(4)) {
            case 0 -> new DnsRecord.A(name, ttl, (Inet4Address) address(r, 4));
            case 1 -> new DnsRecord.Aaaa(name, ttl, (Inet6Address) address(r, 16));
            case 2 -> new DnsRecord.Cname(name, ttl, pick(r, names));
            default -> {
                int dnsClass = r.nextInt(4) == 0 ? DnsMessage.CLASS_IN : r.nextInt(65536);
                DnsType type = new DnsType(r.nextInt(65536));
                if (dnsClass == DnsMessage.CLASS_IN && List.of(1, 5, 28).contains(type.value())) {
                    type = DnsType.MX;
                }
                byte[] data = new byte[r.nextInt(40)];
                r.nextBytes(data);
                yield new DnsRecord.Raw(name, type, dnsClass, ttl, data);
            }
        };
    }

    /** A few names sharing suffixes, so that compression has work to do. */
    private static List<String> names(Random r) {
        List<String> names = new ArrayList<>();
        List<byte[]> base = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            base.add(label(r));
        }
        names.add(DnsNames.format(base));
        for (int i = 0; i < 3; i++) {
            List<byte[]> longer = new ArrayList<>();
            for (int j = r.nextInt(3); j > 0; j--) {
                longer.add(label(r));
            }
            longer.addAll(base);
            if (wireLength(longer) <= DnsNames.MAX_WIRE_LENGTH) {
                names.add(DnsNames.format(longer));
            }
        }
        return names;
    }

    private static byte[] label(Random r) {
        byte[] label = new byte[1 + r.nextInt(r.nextInt(10) == 0 ? 63 : 10)];
        String ldh = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
        boolean binary = r.nextInt(8) == 0;
        for (int i = 0; i < label.length; i++) {
            label[i] = binary ? (byte) r.nextInt(256) : (byte) ldh.charAt(r.nextInt(ldh.length()));
        }
        return label;
    }

    private static int wireLength(List<byte[]> labels) {
        return 1 + labels.stream().mapToInt(l -> 1 + l.length).sum();
    }

    private static InetAddress address(Random r, int length) {
        byte[] a = new byte[length];
        r.nextBytes(a);
        try {
            return length == 4 ? InetAddress.getByAddress(a) : Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
