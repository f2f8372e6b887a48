package org.packetlab.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.LocalAddress;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.SocketInfo;
import org.packetlab.results.Summarizable;
import org.packetlab.results.Table;
import org.packetlab.results.Tabular;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Vmem;

/**
 * What an endpoint exports in its memory (vmem), read with {@code mread} and decoded: host id,
 * clock, supported transports, the global buffer budget and its use, local addresses, DNS
 * resolvers and the sockets in use. A first look at an unknown endpoint.
 *
 * <pre>{@code
 * pktlab xpmgr VmemDump
 * lab.run(VmemDump::read).values().getFirst().table();
 * }</pre>
 */
public final class VmemDump implements Mlet<VmemDump.Result> {

    /** Blocks of SKTINFO per read: as many whole 1 KiB blocks as one mread carries (at most 65535 bytes). */
    private static final int BLOCKS_PER_READ = 0xFFFF / Vmem.SKTINFO_BLOCK_SIZE;

    /** Takes no arguments. */
    public static Mlet<Result> fromArgs(String... args) {
        if (args.length != 0) {
            throw new IllegalArgumentException("usage: VmemDump (no arguments)");
        }
        return new VmemDump();
    }

    @Override
    public Result run(EndpointSession ep) throws IOException {
        return read(ep);
    }

    /** Reads and decodes the endpoint's exported memory. */
    public static Result read(EndpointSession ep) throws IOException {
        String hostId = ep.hostId();
        Instant clock = ep.clock();
        int transports = ByteBuffer.wrap(ep.mread(Vmem.SYSPARAM_TRANSSUP, 4)).getInt();
        // BUFMAX and BUFUSED are adjacent (spec §10.2): one read
        ByteBuffer buffers = ByteBuffer.wrap(ep.mread(Vmem.SYSPARAM_BUFMAX, 8));
        long bufMax = Integer.toUnsignedLong(buffers.getInt());
        long bufUsed = Integer.toUnsignedLong(buffers.getInt());
        Set<Proto> supported = EnumSet.noneOf(Proto.class);
        if ((transports & Vmem.TRANSSUP_RAW) != 0) {
            supported.add(Proto.RAW);
        }
        if ((transports & Vmem.TRANSSUP_TCP) != 0) {
            supported.add(Proto.TCP);
        }
        if ((transports & Vmem.TRANSSUP_UDP) != 0) {
            supported.add(Proto.UDP);
        }
        return new Result(hostId, clock, supported, bufMax, bufUsed, ep.localAddresses(), ep.dnsServers(), socketsInUse(ep));
    }

    /** The sockets in use: their state bytes in a few large reads, then the details of those in use. */
    private static List<SocketInfo> socketsInUse(EndpointSession ep) throws IOException {
        List<SocketInfo> sockets = new ArrayList<>();
        for (int first = 0; first < Vmem.MAX_SOCKETS; first += BLOCKS_PER_READ) {
            int blocks = Math.min(BLOCKS_PER_READ, Vmem.MAX_SOCKETS - first);
            byte[] chunk = ep.mread(Vmem.sktinfo(first), blocks * Vmem.SKTINFO_BLOCK_SIZE);
            for (int i = 0; i < blocks; i++) {
                if (chunk[i * Vmem.SKTINFO_BLOCK_SIZE + Vmem.SKT_STAT] != SocketState.FREE.code()) {
                    sockets.add(ep.socketInfo(first + i));
                }
            }
        }
        return sockets;
    }

    /**
     * What the endpoint exports.
     *
     * @param hostId         the host id
     * @param clock          the endpoint's clock when read
     * @param transports     the transports its sockets support
     * @param bufMax         the global buffer budget in bytes (queued sends and received data)
     * @param bufUsed        the bytes of it in use
     * @param localAddresses the local addresses it exports
     * @param dnsServers     the DNS resolvers it exports
     * @param sockets        the sockets in use (this session's)
     */
    public record Result(String hostId, Instant clock, Set<Proto> transports, long bufMax, long bufUsed,
            List<LocalAddress> localAddresses, List<InetAddress> dnsServers, List<SocketInfo> sockets) implements Summarizable, Tabular {

        public Result {
            transports = Set.copyOf(transports);
            localAddresses = List.copyOf(localAddresses);
            dnsServers = List.copyOf(dnsServers);
            sockets = List.copyOf(sockets);
        }

        /** One row per exported value. */
        @Override
        public Table table() {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("hostid", hostId));
            rows.add(List.of("clock", clock.toString()));
            rows.add(List.of("transports", transports.stream().sorted().map(Proto::name).collect(Collectors.joining(" "))));
            rows.add(List.of("BufMax", Long.toString(bufMax)));
            rows.add(List.of("BufUsed", Long.toString(bufUsed)));
            rows.add(List.of("local addresses", localAddresses.stream().map(LocalAddress::toString).collect(Collectors.joining(" "))));
            rows.add(List.of("DNS servers", dnsServers.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(" "))));
            for (SocketInfo s : sockets) {
                rows.add(List.of("socket " + s.sktid(), s.proto() + " " + s.state() + " " + s.local()
                        + (s.remote() == null ? "" : " -> " + s.remote()) + ", rbuf " + s.rbufused() + "/" + s.rbufsz()));
            }
            return new Table("vmem of " + hostId, List.of("field", "value"), rows);
        }

        @Override
        public String summary() {
            return hostId + ": " + transports.stream().sorted().map(Proto::name).collect(Collectors.joining("/")) + ", "
                    + localAddresses.size() + " local addresses, " + dnsServers.size() + " DNS servers, "
                    + sockets.size() + " sockets in use, buffer " + bufUsed + "/" + bufMax;
        }
    }
}
