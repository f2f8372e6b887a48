package org.packetlab.wire;

import java.util.Arrays;

/**
 * The broker request {@code xcert} (0x30): one DER-encoded certificate of the sender's privilege
 * chain (spec/wire-protocol.md §5.18). The codec does not parse the DER.
 */
public record Xcert(byte[] der) implements Request, BrokerMessage {

    public Xcert {
        der = Check.copy(der);
        if (der.length == 0) {
            throw new IllegalArgumentException("xcert needs a non-empty certificate");
        }
        Check.body(der.length, "xcert");
    }

    /** A certificate message (DER copied). */
    public static Xcert of(byte[] der) {
        return new Xcert(der);
    }

    /** A copy of the DER bytes. */
    @Override
    public byte[] der() {
        return der.clone();
    }

    byte[] derUnsafe() {
        return der;
    }

    @Override
    public MessageType type() {
        return MessageType.XCERT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xcert x && Arrays.equals(x.der, der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "Xcert[der=" + Check.hex(der) + "]";
    }
}
