package org.packetlab.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.KeyId;

/**
 * One row of the status of a PacketLab home ({@link PktlabHome#status()}): a key, certificate, CSR,
 * configuration file or installed privilege, what it is and what is wrong with it.
 *
 * @param name      the key or file name (a privilege: its snikey, or {@code (default)})
 * @param file      the file the row is about
 * @param keyId     the key's id; for certificates and CSRs the subject key's id
 * @param certType  the certificate type (certificates, CSRs, privileges)
 * @param validFrom start of validity (certificates, privileges)
 * @param validUntil end of validity, inclusive (certificates, privileges)
 * @param detail    a short human description (whose key, who signed, which chain)
 * @param problems  what is wrong; empty when the item is usable
 */
public record HomeStatus(Kind kind, String name, Path file, Optional<KeyId> keyId, Optional<CertType> certType,
                         Optional<Instant> validFrom, Optional<Instant> validUntil, String detail, List<String> problems) {

    /** What a row describes. */
    public enum Kind {
        PRIVATE_KEY, PUBLIC_KEY, CERTIFICATE, CSR, CONFIG, PRIVILEGE;

        /** Lower-case words for tables. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public HomeStatus {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(certType, "certType");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(detail, "detail");
        problems = List.copyOf(problems);
    }

    /** Whether nothing is wrong with the item. */
    public boolean ok() {
        return problems.isEmpty();
    }
}
