package org.packetlab.cli;

import java.util.ArrayList;
import java.util.List;
import org.packetlab.ppks.BurstRate;
import org.packetlab.ppks.CertTemplate;
import org.packetlab.ppks.Digest;
import picocli.CommandLine.Option;

/** The description, path length and limits a certificate or request carries (spec/certificates.md §3). */
final class PrivilegeOptions {
    @Option(names = "--desc", paramLabel = "TEXT", description = "description (cert_desc)")
    String description;

    @Option(names = "--path-len", paramLabel = "N", description = "exppriv/delpriv: how many delpriv may sit below it")
    Integer pathLen;

    @Option(names = "--valid-dest", paramLabel = "PREFIX", split = ",",
            description = "allowed destinations, e.g. 127.0.0.0/8,::1 (repeatable)")
    List<String> validDest = new ArrayList<>();

    @Option(names = "--max-num-priority", paramLabel = "N", description = "highest experiment priority")
    Long maxNumPriority;

    @Option(names = "--max-socket-count", paramLabel = "N", description = "most sockets per session")
    Long maxSocketCount;

    @Option(names = "--max-exp-period", paramLabel = "DURATION", description = "longest total run time, e.g. 1h")
    String maxExpPeriod;

    @Option(names = "--max-send-byte", paramLabel = "N", description = "total bytes the experiment may send")
    Long maxSendByte;

    @Option(names = "--max-send-pkt", paramLabel = "N", description = "total packets the experiment may send")
    Long maxSendPkt;

    @Option(names = "--max-recv-byte", paramLabel = "N", description = "total bytes the experiment may receive")
    Long maxRecvByte;

    @Option(names = "--max-recv-pkt", paramLabel = "N", description = "total packets the experiment may receive")
    Long maxRecvPkt;

    @Option(names = "--max-burst-rate-byte", paramLabel = "COUNT/WINDOW", split = ",",
            description = "send at most COUNT bytes per WINDOW (a duration, e.g. 1000000/1s)")
    List<String> burstByte = new ArrayList<>();

    @Option(names = "--max-burst-rate-pkt", paramLabel = "COUNT/WINDOW", split = ",",
            description = "send at most COUNT packets per WINDOW (e.g. 100/1s)")
    List<String> burstPkt = new ArrayList<>();

    @Option(names = "--src-ip-spoofing", paramLabel = "0|1", description = "whether raw packets may carry a foreign source address")
    Integer srcIpSpoofing;

    @Option(names = "--monitor", paramLabel = "SHA256", description = "digest (64 hex digits) of a monitor program (repeatable)")
    List<String> monitors = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "SHA256", description = "digest of a filter program (repeatable)")
    List<String> filters = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "NAME=VALUE", description = "an auxiliary limit (repeatable)")
    List<String> auxLimits = new ArrayList<>();

    @Option(names = "--info", paramLabel = "NAME=VALUE", description = "an auxiliary cert_info field (repeatable)")
    List<String> auxInfo = new ArrayList<>();

    /** Sets every given option on {@code b}; each setter checks its value. */
    <B extends CertTemplate<B>> void applyTo(B b) {
        if (description != null) {
            b.description(description);
        }
        if (pathLen != null) {
            b.pathLen(pathLen);
        }
        if (!validDest.isEmpty()) {
            b.validDest(validDest.toArray(String[]::new));
        }
        if (maxNumPriority != null) {
            b.maxNumPriority(maxNumPriority);
        }
        if (maxSocketCount != null) {
            b.maxSocketCount(maxSocketCount);
        }
        if (maxExpPeriod != null) {
            b.maxExpPeriod(TimeArgs.duration(maxExpPeriod));
        }
        if (maxSendByte != null) {
            b.maxSendByte(maxSendByte);
        }
        if (maxSendPkt != null) {
            b.maxSendPkt(maxSendPkt);
        }
        if (maxRecvByte != null) {
            b.maxRecvByte(maxRecvByte);
        }
        if (maxRecvPkt != null) {
            b.maxRecvPkt(maxRecvPkt);
        }
        if (!burstByte.isEmpty()) {
            b.maxBurstRateByte(rates(burstByte));
        }
        if (!burstPkt.isEmpty()) {
            b.maxBurstRatePkt(rates(burstPkt));
        }
        if (srcIpSpoofing != null) {
            if (srcIpSpoofing != 0 && srcIpSpoofing != 1) {
                throw new IllegalArgumentException("--src-ip-spoofing takes 0 or 1");
            }
            b.srcIpSpoofing(srcIpSpoofing == 1);
        }
        if (!monitors.isEmpty()) {
            b.monitor(monitors.stream().map(Digest::fromHex).toArray(Digest[]::new));
        }
        if (!filters.isEmpty()) {
            b.filter(filters.stream().map(Digest::fromHex).toArray(Digest[]::new));
        }
        for (String pair : auxLimits) {
            String[] nv = nameValue(pair, "--limit");
            if (nv[0].startsWith("*")) {
                b.optionalLimit(nv[0].substring(1), nv[1]);
            } else {
                b.auxLimit(nv[0], nv[1]);
            }
        }
        for (String pair : auxInfo) {
            String[] nv = nameValue(pair, "--info");
            b.info(nv[0], nv[1]);
        }
    }

    private static BurstRate[] rates(List<String> items) {
        return items.stream().map(item -> {
            int slash = item.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("burst rate \"" + item + "\" is not COUNT/WINDOW");
            }
            return new BurstRate(Long.parseLong(item.substring(0, slash)), TimeArgs.duration(item.substring(slash + 1)).toNanos());
        }).toArray(BurstRate[]::new);
    }

    private static String[] nameValue(String pair, String option) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(option + " takes NAME=VALUE, got \"" + pair + "\"");
        }
        return new String[] {pair.substring(0, eq), pair.substring(eq + 1)};
    }
}
