package org.packetlab.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A resource record of an answer section (RFC 1035 §4.1.3): typed for the IN-class A, AAAA
 * and CNAME records, {@link Raw} for everything else.
 */
public sealed interface DnsRecord permits DnsRecord.A, DnsRecord.Aaaa, DnsRecord.Cname, DnsRecord.Raw {

    /** The owner name, in canonical presentation form. */
    String name();

    /** The record type. */
    DnsType type();

    /** The time to live in seconds, 0 to 2<sup>32</sup>−1 as on the wire. */
    long ttl();

    /** An A record for an {@link Inet4Address}, an AAAA record for an {@link Inet6Address}. */
    static DnsRecord address(String name, long ttl, InetAddress address) {
        return switch (Objects.requireNonNull(address, "address")) {
            case Inet4Address v4 -> new A(name, ttl, v4);
            case Inet6Address v6 -> new Aaaa(name, ttl, v6);
            default -> throw new IllegalArgumentException("address is neither IPv4 nor IPv6: " + address);
        };
    }

    /** An IPv4 host address (class IN, type A). */
    record A(String name, long ttl, Inet4Address address) implements DnsRecord {
        public A {
            name = DnsNames.canonical(name);
            checkTtl(ttl);
            Objects.requireNonNull(address, "address");
        }

        @Override
        public DnsType type() {
            return DnsType.A;
        }
    }

    /** An IPv6 host address (class IN, type AAAA, RFC 3596); a scope id is not part of the record. */
    record Aaaa(String name, long ttl, Inet6Address address) implements DnsRecord {
        public Aaaa {
            name = DnsNames.canonical(name);
            checkTtl(ttl);
            Objects.requireNonNull(address, "address");
        }

        @Override
        public DnsType type() {
            return DnsType.AAAA;
        }
    }

    /** An alias: {@code name} is another name for {@code target} (class IN, type CNAME). */
    record Cname(String name, long ttl, String target) implements DnsRecord {
        public Cname {
            name = DnsNames.canonical(name);
            checkTtl(ttl);
            target = DnsNames.canonical(target);
        }

        @Override
        public DnsType type() {
            return DnsType.CNAME;
        }
    }

    /**
     * Any other record, its data kept as the bytes that were on the wire. Names inside the data
     * (NS, MX, SOA, ...) may be compression pointers into the message they came from, so the data
     * of such a record is only meaningful with that message.
     */
    record Raw(String name, DnsType type, int dnsClass, long ttl, byte[] data) implements DnsRecord {
        public Raw {
            name = DnsNames.canonical(name);
            Objects.requireNonNull(type, "type");
            DnsMessage.checkU16(dnsClass, "class");
            checkTtl(ttl);
            data = Objects.requireNonNull(data, "data").clone();
            if (data.length > 0xFFFF) {
                throw new IllegalArgumentException("data of " + data.length + " bytes exceeds 65535");
            }
            // one form per record keeps decode(encode(m)) equal to m
            if (dnsClass == DnsMessage.CLASS_IN
                    && (type.equals(DnsType.A) || type.equals(DnsType.AAAA) || type.equals(DnsType.CNAME))) {
                throw new IllegalArgumentException("IN " + type + " records are typed: use DnsRecord." + type);
            }
        }

        /** A copy of the record data. */
        @Override
        public byte[] data() {
            return data.clone();
        }

        // the writer reads the data without a copy; it never modifies it
        byte[] dataUnsafe() {
            return data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Raw r && name.equals(r.name) && type.equals(r.type) && dnsClass == r.dnsClass
                    && ttl == r.ttl && Arrays.equals(data, r.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, type, dnsClass, ttl, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "Raw[name=" + name + ", type=" + type + ", dnsClass=" + dnsClass + ", ttl=" + ttl
                    + ", data=" + HexFormat.of().formatHex(data) + "]";
        }
    }

    private static void checkTtl(long ttl) {
        if (ttl < 0 || ttl > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ttl " + ttl + " not in 0..4294967295");
        }
    }
}
