package org.packetlab.examples;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.packetlab.dns.DnsFormatException;
import org.packetlab.dns.DnsMessage;
import org.packetlab.dns.DnsRecord;
import org.packetlab.dns.DnsType;
import org.packetlab.mlet.Datagram;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.SendOptions;
import org.packetlab.mlet.Sent;
import org.packetlab.mlet.SocketOptions;
import org.packetlab.mlet.UdpSocket;
import org.packetlab.results.Summarizable;
import org.packetlab.results.Table;
import org.packetlab.results.Tabular;

/**
 * A DNS lookup made by the endpoint: the Java counterpart of the reference's {@code test_dns}. The
 * endpoint sends an A query for NAME over UDP to a resolver (the one given, else the endpoint's
 * first exported resolver) and the answer is decoded here; the result holds the answers and the
 * round trip measured by the endpoint (reply receive time minus query send time).
 *
 * <pre>{@code
 * pktlab xpmgr Dns pktlab.test 127.0.0.1:5353        # [NAME [RESOLVER[:PORT]]], default www.example.com
 * lab.run(ep -> Dns.query(ep, "pktlab.test", lab.dns()));   // the lab's responder is on an ephemeral port
 * }</pre>
 *
 * Its requests are those of the reference mlet, byte for byte (socket 1, a 4 KiB receive buffer,
 * tag 1234, query id 5566 as an x86 writes it).
 */
public final class Dns implements Mlet<Dns.Result> {

    /** The reference's query id 5566 (0x15BE), which it stores in host order: 0xBE15 on the wire. */
    static final int QUERY_ID = 0xBE15;

    private final String name;
    private final InetSocketAddress resolver;

    /** An A query for {@code name} to {@code resolver}, or to the endpoint's first resolver (port 53) when null. */
    public Dns(String name, InetSocketAddress resolver) {
        this.name = name;
        this.resolver = resolver;
    }

    /**
     * From command-line words {@code [NAME [RESOLVER[:PORT]]]} (an IPv6 resolver with a port in
     * brackets), defaulting like the reference to {@code www.example.com}.
     */
    public static Mlet<Result> fromArgs(String... args) throws IOException {
        if (args.length > 2) {
            throw new IllegalArgumentException("usage: Dns [NAME [RESOLVER[:PORT]]]");
        }
        return new Dns(args.length > 0 ? args[0] : "www.example.com", args.length > 1 ? resolver(args[1]) : null);
    }

    private static InetSocketAddress resolver(String word) throws IOException {
        int colon = word.lastIndexOf(':');
        boolean bracketed = word.startsWith("[");
        if (bracketed || colon > 0 && colon == word.indexOf(':')) {
            int end = bracketed ? word.indexOf(']') : colon;
            String port = word.substring(end + (bracketed ? 1 : 0));
            if (end < 0 || !port.isEmpty() && !port.startsWith(":")) {
                throw new IllegalArgumentException("bad RESOLVER[:PORT] " + word);
            }
            return new InetSocketAddress(InetAddress.getByName(word.substring(bracketed ? 1 : 0, end)),
                    port.isEmpty() ? 53 : Integer.parseInt(port.substring(1)));
        }
        return new InetSocketAddress(InetAddress.getByName(word), 53);
    }

    @Override
    public Result run(EndpointSession ep) throws IOException {
        return resolver == null ? query(ep, name) : query(ep, name, resolver);
    }

    /** Asks the endpoint's first exported resolver (IPv4 preferred) for the A records of {@code name}. */
    public static Result query(EndpointSession ep, String name) throws IOException {
        List<InetAddress> resolvers = ep.dnsServers();
        InetAddress resolver = resolvers.stream().filter(a -> a instanceof Inet4Address).findFirst()
                .or(() -> resolvers.stream().findFirst())
                .orElseThrow(() -> new IllegalStateException("the endpoint exports no DNS resolver; name one"));
        return query(ep, name, resolver);
    }

    /** Asks {@code resolver} (port 53), from the endpoint, for the A records of {@code name}. */
    public static Result query(EndpointSession ep, String name, InetAddress resolver) throws IOException {
        return query(ep, name, new InetSocketAddress(resolver, 53));
    }

    /** Asks the resolver at {@code server} (any port, e.g. a lab's responder), from the endpoint, for the A records of {@code name}. */
    public static Result query(EndpointSession ep, String name, InetSocketAddress server) throws IOException {
        InetAddress resolver = server.getAddress();
        byte[] query = DnsMessage.query(QUERY_ID, name, DnsType.A).encode();
        long start = System.nanoTime();
        try (UdpSocket s = ep.udp(SocketOptions.defaults().rbufsz(0x1000).bindTo(wildcardFor(resolver)))) {
            Sent sent = s.send(server, query, SendOptions.defaults().tag(1234));
            long deadline = System.nanoTime() + ep.timeout().toNanos();
            while (true) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                if (left.isNegative() || left.isZero()) {
                    throw new SocketTimeoutException("no answer from " + server + " for " + name + " within " + ep.timeout());
                }
                Datagram d = s.receive(left);
                DnsMessage answer = answerTo(d);
                if (answer != null) {
                    return new Result(name, resolver, answer.rcode(), answer.answers(), sent.sentAt(), d.time(),
                            Duration.ofNanos(System.nanoTime() - start));
                }
            }
        }
    }

    /** The answer to our query carried by {@code d}, or null for a stray datagram (skipped, as a resolver would). */
    private static DnsMessage answerTo(Datagram d) {
        try {
            DnsMessage m = DnsMessage.decode(d.data());
            return m.isResponse() && m.id() == QUERY_ID ? m : null;
        } catch (DnsFormatException e) {
            return null;
        }
    }

    private static InetSocketAddress wildcardFor(InetAddress resolver) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(resolver instanceof Inet4Address ? "0.0.0.0" : "::"), 0);
    }

    /**
     * What one lookup returned.
     *
     * @param name       the name asked for
     * @param resolver   the resolver asked
     * @param rcode      the response code ({@link DnsMessage#NOERROR}, {@link DnsMessage#NXDOMAIN}, ...)
     * @param answers    the answer section
     * @param sentAt     the endpoint time the query left
     * @param answeredAt the endpoint time the answer arrived
     * @param local      how long the lookup took as seen here (open to answer)
     */
    public record Result(String name, InetAddress resolver, int rcode, List<DnsRecord> answers, Instant sentAt,
            Instant answeredAt, Duration local) implements Summarizable, Tabular {

        public Result {
            answers = List.copyOf(answers);
        }

        /** The round trip measured by the endpoint. */
        public Duration endpointRtt() {
            return Duration.between(sentAt, answeredAt);
        }

        /** The addresses of the A and AAAA answers. */
        public List<InetAddress> addresses() {
            return answers.stream().<InetAddress>mapMulti((r, out) -> {
                switch (r) {
                    case DnsRecord.A a -> out.accept(a.address());
                    case DnsRecord.Aaaa a -> out.accept(a.address());
                    default -> { }
                }
            }).toList();
        }

        /** The answer section, one row per record: name, type, TTL, data; the caption says who answered what. */
        @Override
        public Table table() {
            List<List<String>> rows = answers.stream().map(r -> List.of(r.name(), r.type().toString(), Long.toString(r.ttl()),
                    switch (r) {
                        case DnsRecord.A a -> a.address().getHostAddress();
                        case DnsRecord.Aaaa a -> a.address().getHostAddress();
                        case DnsRecord.Cname c -> c.target();
                        case DnsRecord.Raw raw -> HexFormat.of().formatHex(raw.data());
                    })).toList();
            String outcome = rcode == DnsMessage.NXDOMAIN ? ": does not exist" : rcode != DnsMessage.NOERROR ? ": rcode " + rcode : "";
            return new Table(name + " from " + resolver.getHostAddress() + outcome, List.of("name", "type", "TTL", "data"), rows);
        }

        /** One line per answer as the reference prints them: {@code pktlab.test is 127.0.0.3}. */
        @Override
        public String summary() {
            if (rcode == DnsMessage.NXDOMAIN) {
                return name + " does not exist";
            }
            if (answers.isEmpty()) {
                return name + " has no answer (rcode " + rcode + ")";
            }
            return answers.stream().map(r -> switch (r) {
                case DnsRecord.A a -> a.name() + " is " + a.address().getHostAddress();
                case DnsRecord.Aaaa a -> a.name() + " is " + a.address().getHostAddress();
                case DnsRecord.Cname c -> c.name() + " is an alias for " + c.target();
                case DnsRecord.Raw raw -> raw.name() + " has a " + raw.type() + " record";
            }).collect(Collectors.joining("; "));
        }
    }
}
