package org.packetlab.wire;

/**
 * The request {@code nctl} (0x2E): apply {@code command} to a TCP socket at {@code time}
 * (spec/wire-protocol.md §5.11). Only TCP is encodable, so the proto byte is always 0x06.
 *
 * <pre>
 *   | sktid u8 | family u8 | proto u8 = 0x06 | time u64 | command u8 |     exactly 12 bytes
 * </pre>
 *
 * @param family  the family byte as sent (the decoder does not check it)
 * @param command the command byte as sent ({@link NctlCommand}; unknown ones reach the endpoint, which answers ECTLBADMSG)
 */
public record Nctl(int sktid, int family, long time, int command) implements Request, SocketMessage {

    public Nctl {
        Check.u8(sktid, "sktid");
        Check.u8(family, "family");
        Check.u8(command, "command");
    }

    /** Shut down the write side of TCP socket {@code sktid} once {@code time} is reached. */
    public static Nctl fin(int sktid, Family family, long time) {
        return new Nctl(sktid, family.code(), time, NctlCommand.TCP_FIN.code());
    }

    /** Always TCP. */
    public Proto proto() {
        return Proto.TCP;
    }

    @Override
    public MessageType type() {
        return MessageType.NCTL;
    }

    @Override
    public String toString() {
        return "Nctl[sktid=" + sktid + ", family=" + family + ", time=" + PktlabTime.toString(time) + ", command=" + command + "]";
    }
}
