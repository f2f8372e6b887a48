package org.packetlab.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertLimits;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Digest;
import org.packetlab.wire.NameValues;

/** Human-readable listings of certificates, requests and limits for the command line. */
final class CertText {
    private CertText() {}

    static void print(PrintWriter out, Cert c, Instant now) {
        row(out, "type", c.type() + (c.delTypes().isEmpty() ? "" : " (delegates " + join(c.delTypes()) + ")"));
        row(out, "serial", c.serial().toString(16) + " (" + c.serial() + ")");
        String state = c.isValidAt(now) ? "valid now" : now.isBefore(c.notBefore()) ? "NOT YET VALID" : "EXPIRED";
        row(out, "validity", c.notBefore() + " .. " + c.notAfter() + "  [" + state + "]");
        row(out, "subject key id", c.subjectKeyId().hex());
        row(out, "signer key id", c.authorityKeyId().hex() + (c.isSelfIssued() ? "  (self-signed)" : ""));
        row(out, "path length", c.pathLen().isPresent() ? Integer.toString(c.pathLen().getAsInt()) : "none");
        c.description().ifPresent(d -> row(out, "description", d));
        pairs(out, "info", c.auxInfo());
        limits(out, c.limits());
        row(out, "cert_info", c.info().toString());
        if (c.hasLimitExtension()) {
            row(out, "cert_limit", c.limits().pairs().toString());
        }
    }

    static void print(PrintWriter out, Csr r) {
        row(out, "requested type", r.type() + (r.delTypes().isEmpty() ? "" : " (delegates " + join(r.delTypes()) + ")"));
        row(out, "subject key id", r.subject().keyId().hex());
        row(out, "path length", r.pathLen().isPresent() ? Integer.toString(r.pathLen().getAsInt()) : "none");
        r.info().get("cert_desc").ifPresent(d -> row(out, "description", d));
        limits(out, r.limits());
        row(out, "cert_info", r.info().toString());
        row(out, "self-signature", "valid (Ed25519)");
        out.print("subject public key:\n" + r.subject().pem());
    }

    private static void limits(PrintWriter out, CertLimits l) {
        if (l.isEmpty()) {
            row(out, "limits", "none");
            return;
        }
        row(out, "limits", "");
        if (!l.monitors().isEmpty()) {
            row(out, "  monitor", digests(l.monitors()));
        }
        if (!l.filters().isEmpty()) {
            row(out, "  filter", digests(l.filters()));
        }
        l.validDest().ifPresent(d -> row(out, "  valid_dest", d.isEmpty() ? "(nothing)" : join(d)));
        number(out, "  max_num_priority", l.maxNumPriority());
        number(out, "  max_socket_count", l.maxSocketCount());
        l.maxExpPeriod().ifPresent(v -> row(out, "  max_exp_period", Long.toUnsignedString(v) + " ns"
                + (v >= 0 ? " (" + java.time.Duration.ofNanos(v) + ")" : "")));
        number(out, "  max_send_byte", l.maxSendByte());
        number(out, "  max_send_pkt", l.maxSendPkt());
        number(out, "  max_recv_byte", l.maxRecvByte());
        number(out, "  max_recv_pkt", l.maxRecvPkt());
        if (!l.maxBurstRateByte().isEmpty()) {
            row(out, "  max_burst_rate_byte", rates(l.maxBurstRateByte()));
        }
        if (!l.maxBurstRatePkt().isEmpty()) {
            row(out, "  max_burst_rate_pkt", rates(l.maxBurstRatePkt()));
        }
        l.srcIpSpoofing().ifPresent(v -> row(out, "  src_ip_spoofing", v ? "1 (allowed)" : "0 (not allowed)"));
        pairs(out, "  aux", l.aux());
    }

    private static void number(PrintWriter out, String name, java.util.OptionalLong v) {
        v.ifPresent(n -> row(out, name, Long.toUnsignedString(n)));
    }

    private static void pairs(PrintWriter out, String name, List<NameValues.Pair> pairs) {
        for (NameValues.Pair p : pairs) {
            row(out, name, p.name() + "=" + p.value());
        }
    }

    private static String digests(List<Digest> ds) {
        return ds.stream().map(Digest::hex).collect(Collectors.joining(" "));
    }

    private static String rates(List<BurstRate> rs) {
        return rs.stream().map(r -> r + " (count/ns)").collect(Collectors.joining(", "));
    }

    private static String join(java.util.Collection<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(","));
    }

    static void row(PrintWriter out, String name, String value) {
        out.printf("  %-22s %s%n", name + ":", value);
    }
}
