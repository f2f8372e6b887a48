package org.packetlab.dns;

/**
 * The type of a DNS question or resource record (RFC 1035 §3.2.2, RFC 3596), known here or not.
 *
 * @param value the 16-bit type code
 */
public record DnsType(int value) {

    public static final DnsType A = new DnsType(1);
    public static final DnsType NS = new DnsType(2);
    public static final DnsType CNAME = new DnsType(5);
    public static final DnsType SOA = new DnsType(6);
    public static final DnsType PTR = new DnsType(12);
    public static final DnsType MX = new DnsType(15);
    public static final DnsType TXT = new DnsType(16);
    public static final DnsType AAAA = new DnsType(28);
    public static final DnsType OPT = new DnsType(41);
    public static final DnsType ANY = new DnsType(255);

    public DnsType {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("type " + value + " not in 0..65535");
        }
    }

    /** The mnemonic ({@code A}, {@code AAAA}, ...) or {@code TYPEnnn} for types without one (RFC 3597). */
    @Override
    public String toString() {
        return switch (value) {
            case 1 -> "A";
            case 2 -> "NS";
            case 5 -> "CNAME";
            case 6 -> "SOA";
            case 12 -> "PTR";
            case 15 -> "MX";
            case 16 -> "TXT";
            case 28 -> "AAAA";
            case 41 -> "OPT";
            case 255 -> "ANY";
            default -> "TYPE" + value;
        };
    }
}
