package org.packetlab.endpoint;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.packetlab.wire.NameValues;
import org.packetlab.wire.Snikey;

/**
 * One experiment in an endpoint's {@link ExperimentPool}: a descriptor received from the broker
 * and what the endpoint reads from it (spec/agents.md §C.4).
 *
 * @param seq            order of arrival (higher = more recent)
 * @param xdescr         the descriptor as received
 * @param controllerAddr {@code controller_addr} (the last one when repeated)
 * @param snikey         {@code sni_key}, sent as the TLS SNI
 * @param priority       {@code exp_priority} as a u32 (absent or not a number = 0)
 * @param pubEnd         {@code pub_end}, when present
 * @param yieldUntil     pktlab time before which the entry does not run (after a {@code yield}); 0 = runnable
 */
public record PoolEntry(long seq, NameValues xdescr, String controllerAddr, Optional<Snikey> snikey, long priority,
                        OptionalLong pubEnd, long yieldUntil) {

    public PoolEntry {
        Objects.requireNonNull(xdescr, "xdescr");
        Objects.requireNonNull(controllerAddr, "controllerAddr");
        Objects.requireNonNull(snikey, "snikey");
        Objects.requireNonNull(pubEnd, "pubEnd");
    }

    PoolEntry yieldingUntil(long until) {
        return new PoolEntry(seq, xdescr, controllerAddr, snikey, priority, pubEnd, until);
    }

    /** Whether {@code pub_end} has passed at {@code now} (unsigned pktlab times). */
    boolean expiredAt(long now) {
        return pubEnd.isPresent() && Long.compareUnsigned(pubEnd.getAsLong(), now) <= 0;
    }

    /** Whether the entry may run at {@code now}: not yielding. */
    boolean runnableAt(long now) {
        return Long.compareUnsigned(yieldUntil, now) < 0;
    }

    @Override
    public String toString() {
        return "experiment at " + controllerAddr + " (priority " + priority + snikey.map(k -> ", snikey " + k.value()).orElse("") + ")";
    }
}
