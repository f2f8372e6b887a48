package org.packetlab.wire;

/**
 * The notification {@code ntag} (0x60): the send tagged {@code tag} completed (or was abandoned)
 * at {@code time} (spec/wire-protocol.md §5.12). There is no family or proto field.
 *
 * <pre>
 *   | sktid u8 | tag u16 | time u64 | [errid u16, only when non-zero] |
 * </pre>
 */
public record Ntag(int sktid, int tag, long time, int errid) implements Notification, SocketMessage {

    public Ntag {
        Check.u8(sktid, "sktid");
        Check.u16(tag, "tag");
        Check.u16(errid, "errid");
    }

    /** A completed send. */
    public static Ntag sent(int sktid, int tag, long time) {
        return new Ntag(sktid, tag, time, 0);
    }

    /** A send that ended with {@code status} (EPKTNOTSENT, EPKTTRUNC). */
    public static Ntag of(int sktid, int tag, long time, Status status) {
        if (status == Status.UNKNOWN) {
            throw new IllegalArgumentException("Status.UNKNOWN has no wire value");
        }
        return new Ntag(sktid, tag, time, status.code());
    }

    /** The named status; {@link Status#UNKNOWN} for a code without a name. */
    public Status status() {
        return Status.of(errid);
    }

    @Override
    public MessageType type() {
        return MessageType.NTAG;
    }

    @Override
    public String toString() {
        return "Ntag[sktid=" + sktid + ", tag=" + tag + ", time=" + PktlabTime.toString(time) + ", " + Status.nameOf(errid) + "]";
    }
}
