package org.packetlab.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * A PacketLab status code ({@code errid}), as carried by {@code result} and {@code ntag}
 * (spec/wire-protocol.md §6). Codes outside this list are legal on the wire; they map to
 * {@link #UNKNOWN} and keep their numeric value in the message.
 */
public enum Status {
    SUCCESS(0x0000),
    ECTLBADMSG(0x0010),
    ECTLNOTSUP(0x0011),
    ECTLMONREJ(0x0012),
    ECTLMONUKN(0x0013),
    ECRTBADHDAT(0x0020),
    ECRTNOHDAT(0x0021),
    ECRTBADFRM(0x0022),
    ECRTNOSPACE(0x0023),
    ECRTBADHINT(0x0024),
    ESYSNOBUFS(0x0030),
    ESYSNOPERM(0x0031),
    ESKTINUSE(0x0032),
    ESKTNOTOPEN(0x0033),
    ESKTNOPRFAM(0x0034),
    ESKTNOPROTO(0x0035),
    ESKTNOADDR(0x0036),
    ESKTNOMATCH(0x0037),
    ESKTBADFILT(0x0038),
    ESKTPKTDENY(0x0039),
    ESKTOPNDENY(0x003A),
    ETCPNOPORT(0x0040),
    EPKTNOTSENT(0x0041),
    EUDPNOPORT(0x0042),
    EPKTTRUNC(0x0043),
    ENORES(0x0044),
    EMEMBADADR(0x0048),
    EPUBBADCHL(0x0050),
    EPUBBADCHN(0x0051),
    EPUBBADADDR(0x0052),
    EPUBBADPR(0x0053),
    EPUBBADXD(0x0054),
    ESUBBADCHL(0x0060),
    ESUBBADCHN(0x0061),
    ESUBBADDA(0x0062),
    EUNKFAULT(0xFFFF),
    /** Any code this version does not name; it has no wire value of its own. */
    UNKNOWN(-1);

    private static final Map<Integer, Status> BY_CODE = new HashMap<>();

    static {
        for (Status s : values()) {
            if (s != UNKNOWN) {
                BY_CODE.put(s.code, s);
            }
        }
    }

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The 16-bit wire value; -1 for {@link #UNKNOWN}. */
    public int code() {
        return code;
    }

    /** Whether this status carries monitor fields in a {@code result} (monindx, and for MONREJ monerrid). */
    public boolean isMonitorStatus() {
        return this == ECTLMONREJ || this == ECTLMONUKN;
    }

    /** The status for a wire value; {@link #UNKNOWN} for codes without a name. */
    public static Status of(int code) {
        return BY_CODE.getOrDefault(code, UNKNOWN);
    }

    /** The name of a wire value ({@code ECTLBADMSG}), or its hex form ({@code 0x1234}) when unnamed. */
    public static String nameOf(int code) {
        Status s = of(code);
        return s == UNKNOWN ? String.format("0x%04x", code) : s.name();
    }
}
