package org.packetlab.endpoint;

import java.util.function.Consumer;
import org.packetlab.wire.Family;
import org.packetlab.wire.Ncap;
import org.packetlab.wire.Nclose;
import org.packetlab.wire.Nctl;
import org.packetlab.wire.NctlCommand;
import org.packetlab.wire.Nopen;
import org.packetlab.wire.Nsend;
import org.packetlab.wire.Proto;
import org.packetlab.wire.SocketState;
import org.packetlab.wire.Status;
import org.packetlab.wire.Vmem;

/**
 * The 256 socket slots of a session and the socket requests on them, with the reference's check
 * orders (spec/agents.md §C.8). A slot holds its socket from a successful {@code nopen} until
 * {@code nclose}, error states included. Confined to the session's event loop.
 */
final class SocketTable {
    private final Session session;
    private final MeasurementSocket[] slots = new MeasurementSocket[Vmem.MAX_SOCKETS];

    SocketTable(Session session) {
        this.session = session;
    }

    /** The socket in slot {@code sktid}, or null when the slot is FREE. */
    MeasurementSocket get(int sktid) {
        return slots[sktid];
    }

    /**
     * {@code nopen}: quota (ENORES), slot (ESKTINUSE), family (ESKTNOPRFAM), transport (ESKTNOPROTO;
     * raw and TCP listen are not implemented and say so), then the transport's own checks.
     */
    Opened open(Nopen n) {
        if (session.limits().socketsExhausted()) {
            return Opened.refused(Status.ENORES);
        }
        if (slots[n.sktid()] != null) {
            return Opened.refused(Status.ESKTINUSE);
        }
        SysParams params = session.settings().params();
        if (!(n.family() == Family.IPV4 ? params.supportsIpv4() : params.supportsIpv6())) {
            return Opened.refused(Status.ESKTNOPRFAM);
        }
        int bit = switch (n.proto()) {
            case RAW -> Vmem.TRANSSUP_RAW;
            case TCP -> Vmem.TRANSSUP_TCP;
            case UDP -> Vmem.TRANSSUP_UDP;
        };
        if ((params.transports() & bit) == 0 || n.isListen()) {
            return Opened.refused(Status.ESKTNOPROTO);
        }
        Opened o = n.proto() == Proto.TCP ? TcpSocket.open(session, n) : UdpSocket.open(session, n);
        if (o.status() == Status.SUCCESS) {
            session.limits().takeSocket();
            slots[n.sktid()] = o.socket();
        }
        return o;
    }

    /** {@code nclose}: FREE → ESKTNOTOPEN; otherwise closed whatever its state, queued sends dropped without ntags (§C.8.6). */
    Status close(Nclose n) {
        MeasurementSocket s = slots[n.sktid()];
        if (s == null) {
            return Status.ESKTNOTOPEN;
        }
        slots[n.sktid()] = null;
        s.close();
        return Status.SUCCESS;
    }

    /** {@code nsend}: FREE → ESKTNOTOPEN, then the socket's checks (§C.8.4); a queued send goes out when due. */
    Status send(Nsend n) {
        MeasurementSocket s = slots[n.sktid()];
        if (s == null) {
            return Status.ESKTNOTOPEN;
        }
        Status st = s.queue(n);
        if (st == Status.SUCCESS) {
            s.pump();
        }
        return st;
    }

    /**
     * {@code nctl} (§C.8.5): family/proto must match the socket (a FREE slot has none: ESKTNOMATCH),
     * unknown command → ECTLBADMSG, error state → ESKTNOTOPEN, FIN recorded (first wins).
     */
    Status control(Nctl n) {
        MeasurementSocket s = slots[n.sktid()];
        if (s == null || n.family() != s.family.code() || s.proto != Proto.TCP) {
            return Status.ESKTNOMATCH;
        }
        if (n.command() != NctlCommand.TCP_FIN.code()) {
            return Status.ECTLBADMSG;
        }
        Status st = s.requestFin(n.time());
        if (st == Status.SUCCESS) {
            s.pump();
        }
        return st;
    }

    /**
     * {@code ncap} (§C.8.3): state must be OPENING or OPEN (ESKTNOTOPEN), family/proto must match
     * (ESKTNOMATCH); capture exists only on raw sockets, which this endpoint does not offer, so a
     * matching TCP/UDP socket gets ESKTNOPROTO (the reference misbehaves there).
     */
    Status capture(Ncap n) {
        MeasurementSocket s = slots[n.sktid()];
        if (s == null || !(s.state == SocketState.OPENING || s.state == SocketState.OPEN)) {
            return Status.ESKTNOTOPEN;
        }
        if (n.family() != s.family.code() || n.proto() != s.proto.code()) {
            return Status.ESKTNOMATCH;
        }
        return Status.ESKTNOPROTO;
    }

    /** Every open socket, in slot order. */
    void forEach(Consumer<MeasurementSocket> action) {
        for (MeasurementSocket s : slots) {
            if (s != null) {
                action.accept(s);
            }
        }
    }

    /** Closes every socket (session end). */
    void closeAll() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                MeasurementSocket s = slots[i];
                slots[i] = null;
                s.close();
            }
        }
    }
}
