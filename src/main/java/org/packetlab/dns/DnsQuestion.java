package org.packetlab.dns;

import java.util.Objects;

/**
 * One entry of a DNS message's question section (RFC 1035 §4.1.2).
 *
 * @param name the name asked about, in canonical presentation form (see {@link DnsMessage})
 * @param type the record type asked for
 * @param dnsClass the class, {@link DnsMessage#CLASS_IN} for the Internet
 */
public record DnsQuestion(String name, DnsType type, int dnsClass) {

    public DnsQuestion {
        name = DnsNames.canonical(name);
        Objects.requireNonNull(type, "type");
        DnsMessage.checkU16(dnsClass, "class");
    }

    /** A question of class IN. */
    public DnsQuestion(String name, DnsType type) {
        this(name, type, DnsMessage.CLASS_IN);
    }
}
