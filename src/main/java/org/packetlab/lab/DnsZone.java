package org.packetlab.lab;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.packetlab.dns.DnsMessage;
import org.packetlab.dns.DnsQuestion;
import org.packetlab.dns.DnsRecord;
import org.packetlab.dns.DnsType;

/**
 * The names a {@link DnsResponder} is authoritative for, and its answers: pure, no I/O.
 * Names match without regard to ASCII case; answers carry TTL 0, as the reference's lab
 * responder did, so that nothing caches lab names.
 */
final class DnsZone {

    /** Answers over the classic UDP limit are replaced by an empty truncated answer (RFC 1035 §4.2.1). */
    static final int MAX_UDP_ANSWER = 512;
    private static final int OPCODE_QUERY = 0;
    private static final int OPCODE_BITS = 0x7800;

    private final Map<String, List<InetAddress>> hosts;

    /** @param hosts names (any case, trailing dot or not) to their addresses */
    DnsZone(Map<String, List<InetAddress>> hosts) {
        Map<String, List<InetAddress>> m = new LinkedHashMap<>();
        hosts.forEach((name, addresses) -> m.put(key(name), List.copyOf(addresses)));
        this.hosts = Collections.unmodifiableMap(m);
    }

    Map<String, List<InetAddress>> hosts() {
        return hosts;
    }

    /** The answer to a query (not a response: the caller drops those). */
    DnsMessage answer(DnsMessage query) {
        int flags = DnsMessage.QR | DnsMessage.AA | (query.flags() & (OPCODE_BITS | DnsMessage.RD));
        if (query.opcode() != OPCODE_QUERY) {
            return new DnsMessage(query.id(), flags | DnsMessage.NOTIMP, query.questions(), List.of());
        }
        if (query.questions().size() != 1) {
            return new DnsMessage(query.id(), flags | DnsMessage.FORMERR, query.questions(), List.of());
        }
        DnsQuestion q = query.questions().get(0);
        if (q.dnsClass() != DnsMessage.CLASS_IN) {
            return new DnsMessage(query.id(), flags | DnsMessage.REFUSED, query.questions(), List.of());
        }
        List<InetAddress> addresses = hosts.get(key(q.name()));
        if (addresses == null) {
            return new DnsMessage(query.id(), flags | DnsMessage.NXDOMAIN, query.questions(), List.of());
        }
        List<DnsRecord> answers = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (matches(q.type(), a)) {
                answers.add(DnsRecord.address(q.name(), 0, a));
            }
        }
        DnsMessage answer = new DnsMessage(query.id(), flags | DnsMessage.NOERROR, query.questions(), answers);
        if (answer.encode().length > MAX_UDP_ANSWER) {
            return new DnsMessage(query.id(), flags | DnsMessage.TC | DnsMessage.NOERROR, query.questions(), List.of());
        }
        return answer;
    }

    /** The answer to a datagram whose header could be read but not the rest. */
    static DnsMessage formatError(int id, int flags) {
        int echoed = flags & (OPCODE_BITS | DnsMessage.RD);
        return new DnsMessage(id, DnsMessage.QR | echoed | DnsMessage.FORMERR, List.of(), List.of());
    }

    private static boolean matches(DnsType type, InetAddress a) {
        return type.equals(DnsType.ANY)
                || (type.equals(DnsType.A) && a instanceof Inet4Address)
                || (type.equals(DnsType.AAAA) && a instanceof Inet6Address);
    }

    /** The key of a name in the zone: canonical form, ASCII lower case; {@link IllegalArgumentException} if invalid. */
    static String key(String name) {
        // the question type is irrelevant: this only puts the name in canonical form
        return new DnsQuestion(name, DnsType.A).name().toLowerCase(Locale.ROOT);
    }
}
