package org.packetlab.dns;

import java.util.List;

/**
 * A DNS message (RFC 1035 §4.1): header, question section and answer section.
 *
 * <p>Names are strings in canonical presentation form: labels separated by dots, no trailing
 * dot (the root is {@code ""}), case kept, bytes outside {@code !..~} written {@code \DDD} and
 * a literal dot or backslash inside a label written {@code \.} or {@code \\}. Constructors
 * accept a trailing dot and any escaping and store the canonical form.
 *
 * <p>This is a subset: {@link #decode} checks the authority and additional sections (an EDNS
 * OPT record lives there) but does not keep them, and {@link #encode} writes both as empty.
 * Names are compressed when encoding; compression pointers are followed when decoding, only
 * backwards and at most {@value #MAX_POINTER_JUMPS} per name.
 *
 * @param id the 16-bit message id a response copies from its query
 * @param flags the 16-bit second header word: QR, opcode, AA, TC, RD, RA, Z and the rcode
 * @param questions the question section
 * @param answers the answer section
 */
public record DnsMessage(int id, int flags, List<DnsQuestion> questions, List<DnsRecord> answers) {

    /** The flag set in responses. */
    public static final int QR = 0x8000;
    /** Authoritative answer. */
    public static final int AA = 0x0400;
    /** Truncated. */
    public static final int TC = 0x0200;
    /** Recursion desired. */
    public static final int RD = 0x0100;
    /** Recursion available. */
    public static final int RA = 0x0080;

    /** Response code: no error. */
    public static final int NOERROR = 0;
    /** Response code: the server could not interpret the query. */
    public static final int FORMERR = 1;
    /** Response code: the server failed. */
    public static final int SERVFAIL = 2;
    /** Response code: the name does not exist. */
    public static final int NXDOMAIN = 3;
    /** Response code: the server does not implement this kind of query. */
    public static final int NOTIMP = 4;
    /** Response code: the server refuses to answer. */
    public static final int REFUSED = 5;

    /** The Internet class. */
    public static final int CLASS_IN = 1;

    /** A name has at most 127 labels, so an honest encoder never needs more pointers than that. */
    public static final int MAX_POINTER_JUMPS = 127;

    public DnsMessage {
        checkU16(id, "id");
        checkU16(flags, "flags");
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        checkCount(questions.size(), "questions");
        checkCount(answers.size(), "answers");
    }

    /** A query for one name and type of class IN, asking for recursion, as resolvers expect. */
    public static DnsMessage query(int id, String name, DnsType type) {
        return new DnsMessage(id, RD, List.of(new DnsQuestion(name, type)), List.of());
    }

    /** Decodes one message; never reads past {@code bytes} and never trusts a count further than the bytes go. */
    public static DnsMessage decode(byte[] bytes) throws DnsFormatException {
        return new DnsReader(bytes).message();
    }

    /** This message in wire format, names compressed. */
    public byte[] encode() {
        return DnsWriter.encode(this);
    }

    /** Whether this is a response (QR set). */
    public boolean isResponse() {
        return (flags & QR) != 0;
    }

    /** Whether every bit of {@code flag} (for example {@link #AA}) is set. */
    public boolean hasFlag(int flag) {
        return (flags & flag) == flag;
    }

    /** The 4-bit opcode; 0 is a standard query. */
    public int opcode() {
        return (flags >>> 11) & 0xF;
    }

    /** The 4-bit response code ({@link #NOERROR}, {@link #NXDOMAIN}, ...). */
    public int rcode() {
        return flags & 0xF;
    }

    static void checkU16(int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + value + " not in 0..65535");
        }
    }

    private static void checkCount(int count, String what) {
        if (count > 0xFFFF) {
            throw new IllegalArgumentException(count + " " + what + " exceed 65535");
        }
    }
}
