package org.packetlab.ppks;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A privilege a {@code delpriv} certificate delegates: an item of its {@code del_type} list (spec/certificates.md §3.1). */
public enum DelType {
    /** Experiment privilege may be delegated (bit 0x1). */
    EXPPRIV("exppriv", 0x1),
    /** Representation (subscription) privilege may be delegated (bit 0x2). */
    REPPRIV("reppriv", 0x2);

    private final String token;
    private final int bit;

    DelType(String token, int bit) {
        this.token = token;
        this.bit = bit;
    }

    public String token() {
        return token;
    }

    /** The reference's bit value. */
    public int bit() {
        return bit;
    }

    public static Optional<DelType> fromToken(String token) {
        for (DelType t : values()) {
            if (t.token.equals(token)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The {@code del_type} value for a set, in enum order ({@code "exppriv,reppriv"}). */
    static String format(Set<DelType> types) {
        return EnumSet.copyOf(types).stream().map(DelType::token).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return token;
    }
}
