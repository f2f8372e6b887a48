package org.packetlab.manager;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.packetlab.wire.Cdata;

/**
 * What the set-up of every connection needs, computed once per manager: the {@code cdata} to send
 * for each identity, the host id pattern and the set-up deadline.
 *
 * @param cdataBySnikey  monitor programs to submit, per snikey, in chain order
 * @param defaultCdata   the same for endpoints that sent no SNI (empty without a default identity)
 * @param hostIdPattern  glob ({@code *}, {@code ?}) the endpoint's host id must match; empty = any
 * @param timeout        how long TLS handshake, program submission, start and host id may take together
 */
record SetupPlan(Map<String, List<Cdata>> cdataBySnikey, List<Cdata> defaultCdata, Optional<String> hostIdPattern,
                 Duration timeout) {

    SetupPlan {
        cdataBySnikey = Map.copyOf(cdataBySnikey);
        defaultCdata = List.copyOf(defaultCdata);
    }

    /** The programs for the identity chosen by {@code sni} (null: no SNI, the default identity). */
    List<Cdata> cdataFor(String sni) {
        return sni == null ? defaultCdata : cdataBySnikey.getOrDefault(sni, List.of());
    }
}
