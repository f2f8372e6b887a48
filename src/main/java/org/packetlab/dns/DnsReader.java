package org.packetlab.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one {@link DnsMessage}. Every read is checked against the bytes actually present:
 * section counts only say how many entries to try, and a pointer may only jump backwards
 * (before the labels that led to it).
 */
final class DnsReader {

    private static final int HEADER = 12;

    private final byte[] b;
    private int pos;

    DnsReader(byte[] bytes) {
        this.b = bytes.clone();
    }

    DnsMessage message() throws DnsFormatException {
        require(HEADER, "shorter than the 12-byte header");
        int id = u16();
        int flags = u16();
        int qdcount = u16();
        int ancount = u16();
        int nscount = u16();
        int arcount = u16();
        List<DnsQuestion> questions = new ArrayList<>();
        for (int i = 0; i < qdcount; i++) {
            questions.add(question());
        }
        List<DnsRecord> answers = new ArrayList<>();
        for (int i = 0; i < ancount; i++) {
            answers.add(record());
        }
        // checked for well-formedness, then dropped: the model keeps questions and answers only
        for (int i = 0; i < nscount + arcount; i++) {
            record();
        }
        return new DnsMessage(id, flags, questions, answers);
    }

    private DnsQuestion question() throws DnsFormatException {
        String name = name();
        require(4, "question ends early");
        return new DnsQuestion(name, new DnsType(u16()), u16());
    }

    private DnsRecord record() throws DnsFormatException {
        int start = pos;
        String name = name();
        require(10, "record header ends early");
        DnsType type = new DnsType(u16());
        int dnsClass = u16();
        long ttl = u32();
        int length = u16();
        require(length, "record data of " + length + " bytes runs past the end");
        int end = pos + length;
        if (dnsClass == DnsMessage.CLASS_IN) {
            if (type.equals(DnsType.A)) {
                return new DnsRecord.A(name, ttl, (Inet4Address) address(start, end, 4));
            }
            if (type.equals(DnsType.AAAA)) {
                return new DnsRecord.Aaaa(name, ttl, (Inet6Address) address(start, end, 16));
            }
            if (type.equals(DnsType.CNAME)) {
                String target = name();
                if (pos != end) {
                    throw new DnsFormatException(start, "CNAME data length " + length + " does not match its name");
                }
                return new DnsRecord.Cname(name, ttl, target);
            }
        }
        byte[] data = Arrays.copyOfRange(b, pos, end);
        pos = end;
        return new DnsRecord.Raw(name, type, dnsClass, ttl, data);
    }

    private InetAddress address(int recordStart, int end, int length) throws DnsFormatException {
        if (end - pos != length) {
            throw new DnsFormatException(recordStart, "address data of " + (end - pos) + " bytes, expected " + length);
        }
        byte[] a = Arrays.copyOfRange(b, pos, end);
        pos = end;
        try {
            // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6, as the record says
            return length == 4 ? InetAddress.getByAddress(a) : Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + length + " bytes refused", e);
        }
    }

    /** Reads a possibly compressed name, leaving {@code pos} after its first pointer or its end. */
    private String name() throws DnsFormatException {
        StringBuilder s = new StringBuilder();
        int p = pos;
        // each pointer must land before the start of the stretch of labels it ends, so stretches
        // start ever earlier and no loop is possible, whatever the labels contain
        int stretchStart = pos;
        int after = -1;
        int jumps = 0;
        int wireLength = 1;
        while (true) {
            if (p >= b.length) {
                throw new DnsFormatException(p, "name runs past the end");
            }
            int len = b[p] & 0xFF;
            switch (len & 0xC0) {
                case 0x00 -> {
                    if (len == 0) {
                        pos = after < 0 ? p + 1 : after;
                        return s.toString();
                    }
                    if (p + 1 + len > b.length) {
                        throw new DnsFormatException(p, "label runs past the end");
                    }
                    wireLength += 1 + len;
                    if (wireLength > DnsNames.MAX_WIRE_LENGTH) {
                        throw new DnsFormatException(p, "name longer than 255 bytes");
                    }
                    if (!s.isEmpty()) {
                        s.append('.');
                    }
                    DnsNames.appendLabel(s, b, p + 1, len);
                    p += 1 + len;
                }
                case 0xC0 -> {
                    if (p + 2 > b.length) {
                        throw new DnsFormatException(p, "pointer runs past the end");
                    }
                    int target = ((len & 0x3F) << 8) | (b[p + 1] & 0xFF);
                    if (target >= stretchStart) {
                        throw new DnsFormatException(p, "pointer to " + target + " does not point backwards");
                    }
                    if (++jumps > DnsMessage.MAX_POINTER_JUMPS) {
                        throw new DnsFormatException(p, "more than " + DnsMessage.MAX_POINTER_JUMPS + " pointers in one name");
                    }
                    if (after < 0) {
                        after = p + 2;
                    }
                    p = target;
                    stretchStart = target;
                }
                default -> throw new DnsFormatException(p, String.format("reserved label type 0x%02x", len & 0xC0));
            }
        }
    }

    private void require(int n, String reason) throws DnsFormatException {
        if (b.length - pos < n) {
            throw new DnsFormatException(pos, reason);
        }
    }

    private int u16() {
        int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    private long u32() {
        return ((long) u16() << 16) | u16();
    }
}
