package org.packetlab.mlet;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How an endpoint socket is opened: its socket id, its receive buffer on the endpoint, and the
 * local address it binds. Immutable; each method returns a new value.
 *
 * <pre>{@code
 * ep.tcp(remote, SocketOptions.defaults().sktid(1).rbufsz(0x1000));
 * }</pre>
 */
public final class SocketOptions {

    /** The receive buffer an endpoint socket gets unless told otherwise (64 KiB). */
    public static final long DEFAULT_RBUFSZ = 0x10000;

    private static final int AUTO_SKTID = -1;
    private static final SocketOptions DEFAULTS = new SocketOptions(AUTO_SKTID, DEFAULT_RBUFSZ, null);

    private final int sktid;
    private final long rbufsz;
    private final InetSocketAddress local;

    private SocketOptions(int sktid, long rbufsz, InetSocketAddress local) {
        this.sktid = sktid;
        this.rbufsz = rbufsz;
        this.local = local;
    }

    /** A socket id chosen by the session (the lowest free one from 1), a 64 KiB buffer, the wildcard address. */
    public static SocketOptions defaults() {
        return DEFAULTS;
    }

    /** Uses socket id {@code sktid} (0-255), which must be free in this session. */
    public SocketOptions sktid(int sktid) {
        if (sktid < 0 || sktid > 255) {
            throw new IllegalArgumentException("sktid " + sktid + " is not in 0..255");
        }
        return new SocketOptions(sktid, rbufsz, local);
    }

    /**
     * Sets the bytes the endpoint may buffer for this socket before passing them on (1 to 2^32-1).
     * A small buffer slows the sender down (TCP) or truncates and drops datagrams (UDP).
     */
    public SocketOptions rbufsz(long rbufsz) {
        // 0 is legal on the wire but means "never deliver anything" (spec §8.5): surely a mistake here
        if (rbufsz < 1 || rbufsz > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("rbufsz " + rbufsz + " is not in 1..4294967295");
        }
        return new SocketOptions(sktid, rbufsz, local);
    }

    /** Binds the socket to {@code local} on the endpoint (an address it exports, or the wildcard; port 0 = any). */
    public SocketOptions bindTo(InetSocketAddress local) {
        Objects.requireNonNull(local, "local");
        if (local.isUnresolved()) {
            throw new IllegalArgumentException("local address " + local + " is unresolved");
        }
        return new SocketOptions(sktid, rbufsz, local);
    }

    /** The chosen socket id, or -1 for "let the session choose". */
    int sktid() {
        return sktid;
    }

    long rbufsz() {
        return rbufsz;
    }

    /** The local address, or null for the wildcard address of the remote's family. */
    InetSocketAddress local() {
        return local;
    }

    @Override
    public String toString() {
        return "SocketOptions[sktid=" + (sktid == AUTO_SKTID ? "auto" : sktid) + ", rbufsz=" + rbufsz
                + ", local=" + (local == null ? "any" : local) + "]";
    }
}
