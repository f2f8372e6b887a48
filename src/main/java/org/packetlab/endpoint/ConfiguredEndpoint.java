package org.packetlab.endpoint;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.packetlab.config.EndptConf;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.wire.Proto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code endpt.conf} into an {@link Endpoint.Builder} (spec/config-files.md §3): reads the
 * chain and root files, and resolves the vmem address items, skipping unusable ones with a warning
 * as the reference does (§C.12).
 */
final class ConfiguredEndpoint {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

    private ConfiguredEndpoint() {}

    static Endpoint.Builder builder(EndptConf conf, Ed25519PrivateKey key) throws IOException {
        Endpoint.Builder b = Endpoint.builder().privateKey(key).bufMax(conf.bufMax()).hostId(conf.hostId());
        List<Cert> chain = new ArrayList<>();
        for (Path p : conf.controllerCertChainPath()) {
            chain.add(readCert(p));
        }
        b.chain(chain);
        List<Ed25519PublicKey> roots = new ArrayList<>();
        for (Path p : conf.endpointOpPubKeyPath()) {
            roots.add(Ed25519PublicKey.read(p));
        }
        b.trustedRoots(roots);
        Set<Proto> transports = EnumSet.noneOf(Proto.class);
        for (EndptConf.Transport t : conf.transprotoSup()) {
            transports.add(switch (t) {
                case TCP -> Proto.TCP;
                case UDP -> Proto.UDP;
                case RAW -> Proto.RAW;
            });
        }
        b.transports(transports);
        conf.vmemLocalAddrIPv4().forEach(item -> localIpv4(item).ifPresent(b::localAddress));
        conf.vmemLocalAddrIPv6().forEach(item -> localIpv6(item).ifPresent(b::localAddress));
        conf.vmemLocalDnsAddrIPv4().forEach(item -> resolver(item, Inet4Address.class).ifPresent(b::dnsResolver));
        conf.vmemLocalDnsAddrIPv6().forEach(item -> resolver(item, Inet6Address.class).ifPresent(b::dnsResolver));
        conf.rlimDbPath().ifPresent(p -> log.info("RLimDBPath {} is not used: certificate quotas are enforced per session, not persisted", p));
        return b;
    }

    private static Cert readCert(Path p) throws IOException {
        try {
            return Cert.read(p);
        } catch (CertException e) {
            throw new IOException(p + ": " + e.getMessage(), e);
        }
    }

    /** {@code a.b.c.d/prefix}, or an interface name whose first IPv4 address and prefix are exported. */
    static Optional<LocalAddress> localIpv4(String item) {
        try {
            LocalAddress a = LocalAddress.parse(item);
            if (a.isIpv4()) {
                return Optional.of(a);
            }
        } catch (IllegalArgumentException notAnAddress) {
            Optional<LocalAddress> fromInterface = fromInterface(item, Inet4Address.class);
            if (fromInterface.isPresent()) {
                return fromInterface;
            }
        }
        log.warn("VMemLocalAddrStrIPv4 item \"{}\" skipped: neither a.b.c.d/prefix nor an interface with an IPv4 address", item);
        return Optional.empty();
    }

    /** An IPv6 address, or an interface name whose first IPv6 address is exported. */
    static Optional<LocalAddress> localIpv6(String item) {
        Optional<InetAddress> literal = Addresses.literal(item).filter(a -> a instanceof Inet6Address);
        if (literal.isPresent()) {
            return Optional.of(new LocalAddress(literal.get(), 128));
        }
        Optional<LocalAddress> fromInterface = fromInterface(item, Inet6Address.class);
        if (fromInterface.isEmpty()) {
            log.warn("VMemLocalAddrStrIPv6 item \"{}\" skipped: neither an IPv6 address nor an interface with one", item);
        }
        return fromInterface.map(a -> new LocalAddress(a.address(), 128));
    }

    private static Optional<LocalAddress> fromInterface(String name, Class<? extends InetAddress> family) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) {
                return Optional.empty();
            }
            for (InterfaceAddress ia : ni.getInterfaceAddresses()) {
                if (family.isInstance(ia.getAddress())) {
                    return Optional.of(new LocalAddress(ia.getAddress(), family == Inet4Address.class ? ia.getNetworkPrefixLength() : 128));
                }
            }
            return Optional.empty();
        } catch (SocketException e) {
            log.warn("interface {}: {}", name, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<InetAddress> resolver(String item, Class<? extends InetAddress> family) {
        Optional<InetAddress> a = Addresses.literal(item).filter(family::isInstance);
        if (a.isEmpty()) {
            log.warn("DNS resolver item \"{}\" skipped: not an {} address", item, family == Inet4Address.class ? "IPv4" : "IPv6");
        }
        return a;
    }
}
