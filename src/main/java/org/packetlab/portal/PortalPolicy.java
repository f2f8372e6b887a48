package org.packetlab.portal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.KeyId;
import org.packetlab.wire.NameValues;

/**
 * What an endpoint operator's portal signs: the certificate types, validity and limits it grants,
 * and who may ask. Immutable.
 *
 * <p>Build one with {@link #builder()} or read a policy file with {@link #load(Path)}:
 * <pre>
 * # lines of KEY = VALUE; '#' starts a comment
 * name = netlab-2026
 * types = exppriv                 # exppriv (default) and/or delpriv
 * validity = 30d                  # or: valid_until = 2026-12-31
 * description = network lab course
 * limit.valid_dest = 127.0.0.0/8, ::1
 * limit.max_socket_count = 16
 * limit.max_exp_period = 2h
 * allow_key_ids = 4dd3...         # optional: hex key ids of the requesters allowed
 * invitation_code = open-sesame-42
 * max_requests_per_minute = 30
 * </pre>
 * See docs/portal.md for every key.
 *
 * <h2>What is granted</h2>
 * A request (CSR) may suggest a type and limits. Its type must be one the policy issues; every
 * limit it names must be within the policy's (it asks to be allowed that much). The certificate
 * then gets the requested type and the policy's limits, description and validity; a requested
 * path length is kept when it is stricter than the policy's.
 */
public final class PortalPolicy {
    /** The longest policy file read. */
    static final int MAX_FILE_BYTES = 64 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MIN_CODE_LENGTH = 8;
    private static final String LIMIT_PREFIX = "limit.";

    private final String name;
    private final Set<CertType> types;
    private final Set<DelType> delTypes;
    private final Duration validFor;
    private final Instant validUntil;
    private final String description;
    private final Integer pathLen;
    private final PolicyLimits limits;
    private final Set<KeyId> allowedKeyIds;
    private final byte[] codeDigest;
    private final int maxRequestsPerMinute;
    private final String sha256;

    private PortalPolicy(Builder b) {
        this.name = b.name;
        this.types = Collections.unmodifiableSet(EnumSet.copyOf(b.types));
        this.delTypes = b.delTypes.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(b.delTypes));
        this.validFor = b.validUntil == null ? b.validFor : null;
        this.validUntil = b.validUntil;
        this.description = b.description;
        this.pathLen = b.pathLen;
        this.limits = b.limits;
        this.allowedKeyIds = Collections.unmodifiableSet(new LinkedHashSet<>(b.allowedKeyIds));
        this.codeDigest = b.code == null ? null : sha256(b.code.getBytes(StandardCharsets.UTF_8));
        this.maxRequestsPerMinute = b.maxRequestsPerMinute;
        this.sha256 = HexFormat.of().formatHex(sha256(canonicalText().getBytes(StandardCharsets.UTF_8)));
    }

    /** A builder with the defaults: name {@code portal}, exppriv, valid 30 days, no limits, anyone may ask, 30 requests a minute. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy of a portal started without a policy file: {@code builder().build()}. */
    public static PortalPolicy defaults() {
        return builder().build();
    }

    /**
     * Reads and validates a policy file (see the class comment; unknown keys are errors).
     *
     * @throws PortalPolicyException naming the file, line and key at fault
     * @throws IOException           when the file cannot be read
     */
    public static PortalPolicy load(Path file) throws IOException, PortalPolicyException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new PortalPolicyException(file + ": larger than " + MAX_FILE_BYTES + " bytes, not a policy file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PortalPolicyException(file + ": not UTF-8 text", e);
        }
        String defaultName = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9_-]", "-");
        Builder b = builder().name(NAME.matcher(defaultName).matches() ? defaultName : "portal");
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new PortalPolicyException(where + "expected KEY = VALUE, found \"" + line + "\"");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!seen.add(key)) {
                throw new PortalPolicyException(where + key + ": set twice");
            }
            try {
                b.set(key, value);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new PortalPolicyException(where + key + ": " + e.getMessage(), e);
            }
        }
        if (seen.contains("validity") && seen.contains("valid_until")) {
            throw new PortalPolicyException(file + ": validity, valid_until: set one of them, not both");
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new PortalPolicyException(file + ": " + e.getMessage(), e);
        }
    }

    /** A {@code #} starts a comment, except inside the value of {@code invitation_code}, which may hold one. */
    private static String stripComment(String line) {
        if (line.strip().startsWith("invitation_code")) {
            return line.strip().startsWith("#") ? "" : line;
        }
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    /** The policy's name, recorded with every certificate it issues and suggested as the privilege name. */
    public String name() {
        return name;
    }

    /** The certificate types issued: exppriv and/or delpriv. */
    public Set<CertType> types() {
        return types;
    }

    /** The delegations a delpriv may carry (empty unless delpriv is issued). */
    public Set<DelType> delTypes() {
        return delTypes;
    }

    /** How long each certificate is valid from its issue, unless {@link #validUntil()} is set. */
    public Optional<Duration> validFor() {
        return Optional.ofNullable(validFor);
    }

    /** The end of validity of every certificate, when the policy fixes a date. */
    public Optional<Instant> validUntil() {
        return Optional.ofNullable(validUntil);
    }

    /** The {@code cert_desc} written into each certificate. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** The largest path length granted. */
    public OptionalInt pathLen() {
        return pathLen == null ? OptionalInt.empty() : OptionalInt.of(pathLen);
    }

    /** The cert_limit pairs imposed, {@code name -> value} as written into certificates. */
    public Map<String, String> limits() {
        return limits.pairs();
    }

    /** The requester key ids allowed; empty = any key. */
    public Set<KeyId> allowedKeyIds() {
        return allowedKeyIds;
    }

    /** Whether a request must carry the shared invitation code. */
    public boolean requiresInvitationCode() {
        return codeDigest != null;
    }

    /** Most signing requests per minute, over all requesters. */
    public int maxRequestsPerMinute() {
        return maxRequestsPerMinute;
    }

    /** SHA-256 (hex) of the policy's canonical text, recorded with every certificate issued; the invitation code enters only as its hash. */
    public String sha256() {
        return sha256;
    }

    /** Whether {@code given} is the invitation code, compared in constant time (true when none is required). */
    boolean codeMatches(String given) {
        if (codeDigest == null) {
            return true;
        }
        return MessageDigest.isEqual(codeDigest, sha256((given == null ? "" : given.strip()).getBytes(StandardCharsets.UTF_8)));
    }

    /** Why this policy does not sign {@code csr}, or empty when it does. */
    Optional<String> refusal(Csr csr) {
        if (!allowedKeyIds.isEmpty() && !allowedKeyIds.contains(csr.subject().keyId())) {
            return Optional.of("The requesting key " + csr.subject().keyId().hex() + " is not on this portal's list of allowed keys.");
        }
        if (!types.contains(csr.type())) {
            return Optional.of("The request asks for a " + csr.type() + " certificate; this portal issues " + join(types) + " only.");
        }
        if (csr.type() == CertType.DELPRIV && !delTypes.containsAll(csr.delTypes())) {
            return Optional.of("The request asks to delegate " + join(csr.delTypes()) + "; this portal lets delpriv delegate "
                    + join(delTypes) + " only.");
        }
        return limits.refusal(csr.limits());
    }

    /** The certificate this policy grants for an accepted {@code csr} at time {@code now}, still to be signed. */
    Cert.Builder certificate(Csr csr, Instant now) {
        Cert.Builder b = Cert.builder(csr.type()).subject(csr.subject());
        if (csr.type() == CertType.DELPRIV) {
            b.delTypes(csr.delTypes().toArray(DelType[]::new));
        }
        Instant from = now.truncatedTo(ChronoUnit.SECONDS);
        // a little earlier, so endpoints whose clocks lag a few minutes accept a fresh certificate
        b.validFrom(from.minus(Portal.CLOCK_SKEW));
        b.validUntil(validUntil != null ? validUntil : from.plus(validFor));
        if (description != null) {
            b.description(description);
        }
        OptionalInt wanted = csr.pathLen();
        if (pathLen != null || wanted.isPresent()) {
            b.pathLen(pathLen == null ? wanted.getAsInt() : wanted.isPresent() ? Math.min(pathLen, wanted.getAsInt()) : pathLen);
        }
        limits.applyTo(b);
        return b;
    }

    /** One {@code key=value} line per setting, sorted: what {@link #sha256()} is taken over. */
    private String canonicalText() {
        Map<String, String> m = new TreeMap<>();
        m.put("name", name);
        m.put("types", join(types));
        m.put("del_types", join(delTypes));
        m.put(validUntil != null ? "valid_until" : "validity", validUntil != null ? validUntil.toString() : validFor.toString());
        m.put("description", description == null ? "" : description);
        m.put("path_len", pathLen == null ? "" : pathLen.toString());
        limits.pairs().forEach((k, v) -> m.put(LIMIT_PREFIX + k, v));
        m.put("allow_key_ids", String.join(",", allowedKeyIds.stream().map(KeyId::hex).sorted().toList()));
        m.put("invitation_code_sha256", codeDigest == null ? "" : HexFormat.of().formatHex(codeDigest));
        m.put("max_requests_per_minute", Integer.toString(maxRequestsPerMinute));
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    static String join(Set<?> items) {
        return String.join(",", items.stream().map(Object::toString).toList());
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "PortalPolicy[" + name + ", " + join(types) + ", "
                + (validUntil != null ? "until " + validUntil : "for " + Durations.describe(validFor))
                + (limits.isEmpty() ? "" : ", limits " + limits.pairs()) + "]";
    }

    /** A policy being prepared; every setter checks its argument at once. */
    public static final class Builder {
        private String name = "portal";
        private final Set<CertType> types = EnumSet.of(CertType.EXPPRIV);
        private final Set<DelType> delTypes = EnumSet.noneOf(DelType.class);
        private Duration validFor = Duration.ofDays(30);
        private Instant validUntil;
        private String description;
        private Integer pathLen;
        private final PolicyLimits limits = new PolicyLimits();
        private final Set<KeyId> allowedKeyIds = new LinkedHashSet<>();
        private String code;
        private int maxRequestsPerMinute = 30;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The policy's name: 1-64 letters, digits, {@code _} or {@code -}. */
        public Builder name(String name) {
            if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
                throw new IllegalArgumentException("\"" + name + "\" is not a name: use 1-64 letters, digits, _ or -");
            }
            this.name = name;
            return this;
        }

        /** The types issued: {@link CertType#EXPPRIV} and/or {@link CertType#DELPRIV}. */
        public Builder types(CertType... types) {
            if (types.length == 0) {
                throw new IllegalArgumentException("at least one type is needed");
            }
            for (CertType t : types) {
                if (!t.isAuthority()) {
                    throw new IllegalArgumentException("a portal issues exppriv and delpriv only, not " + t);
                }
            }
            this.types.clear();
            this.types.addAll(List.of(types));
            return this;
        }

        /** The delegations a delpriv may carry; needed when delpriv is issued. */
        public Builder delTypes(DelType... delTypes) {
            if (delTypes.length == 0) {
                throw new IllegalArgumentException("at least one delegation type is needed");
            }
            this.delTypes.clear();
            this.delTypes.addAll(List.of(delTypes));
            return this;
        }

        /** Each certificate is valid for {@code validity} from its issue (clears {@link #validUntil}). */
        public Builder validFor(Duration validity) {
            if (validity.isNegative() || validity.isZero()) {
                throw new IllegalArgumentException("validity must be positive");
            }
            this.validFor = validity;
            this.validUntil = null;
            return this;
        }

        /** Every certificate is valid until {@code until} (seconds precision). */
        public Builder validUntil(Instant until) {
            this.validUntil = Objects.requireNonNull(until, "until").truncatedTo(ChronoUnit.SECONDS);
            return this;
        }

        /** The {@code cert_desc} of each certificate: characters {@code [A-Za-z0-9_-.:[],/() \t]}. */
        public Builder description(String description) {
            if (!NameValues.Syntax.CERT_INFO.isValidValue(description)) {
                throw new IllegalArgumentException("\"" + description + "\" may only hold letters, digits, spaces and _-.:[],/()");
            }
            this.description = description;
            return this;
        }

        /** The largest path length granted (how many delpriv may sit below the certificate). */
        public Builder pathLen(int pathLen) {
            if (pathLen < 0) {
                throw new IllegalArgumentException("path length < 0");
            }
            this.pathLen = pathLen;
            return this;
        }

        /**
         * Imposes one cert_limit field, written as in a certificate or more readably:
         * {@code valid_dest} (comma-separated prefixes), {@code max_num_priority},
         * {@code max_socket_count}, {@code max_exp_period} (nanoseconds, or a duration such as
         * {@code 2h}), {@code max_send_byte}, {@code max_send_pkt}, {@code max_recv_byte},
         * {@code max_recv_pkt}, {@code max_burst_rate_byte} and {@code max_burst_rate_pkt}
         * ({@code COUNT/WINDOW_NS,...}), {@code src_ip_spoofing} (0/1), {@code monitor}
         * (comma-separated SHA-256 hex digests of monitor programs).
         */
        public Builder limit(String name, String value) {
            limits.set(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Only requests from these keys are signed. */
        public Builder allowKeyIds(KeyId... keyIds) {
            allowedKeyIds.addAll(List.of(keyIds));
            return this;
        }

        /** A shared code every request must carry: at least 8 characters. */
        public Builder invitationCode(String code) {
            String c = Objects.requireNonNull(code, "code").strip();
            if (c.length() < MIN_CODE_LENGTH) {
                throw new IllegalArgumentException("an invitation code needs at least " + MIN_CODE_LENGTH + " characters");
            }
            this.code = c;
            return this;
        }

        /** Most signing requests per minute over all requesters (1-10000). */
        public Builder maxRequestsPerMinute(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("max_requests_per_minute must be 1..10000, not " + max);
            }
            this.maxRequestsPerMinute = max;
            return this;
        }

        // visible for testing: when "now" is for the valid_until check
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** One policy-file key. */
        private void set(String key, String value) {
            if (key.startsWith(LIMIT_PREFIX)) {
                limit(key.substring(LIMIT_PREFIX.length()), value);
                return;
            }
            switch (key) {
                case "name" -> name(value);
                case "types" -> types(items(value).stream().map(t -> CertType.fromToken(t)
                        .orElseThrow(() -> new IllegalArgumentException("unknown type \"" + t + "\" (exppriv, delpriv)")))
                        .toArray(CertType[]::new));
                case "del_types" -> delTypes(items(value).stream().map(t -> DelType.fromToken(t)
                        .orElseThrow(() -> new IllegalArgumentException("unknown delegation type \"" + t + "\" (exppriv, reppriv)")))
                        .toArray(DelType[]::new));
                case "validity" -> validFor(Durations.parse(value));
                case "valid_until" -> validUntil(instant(value));
                case "description" -> description(value);
                case "path_len" -> pathLen(integer(value));
                case "allow_key_ids" -> allowKeyIds(items(value).stream().map(Builder::keyId).toArray(KeyId[]::new));
                case "invitation_code" -> invitationCode(value);
                case "max_requests_per_minute" -> maxRequestsPerMinute(integer(value));
                default -> throw new IllegalArgumentException("unknown key (known: name, types, del_types, validity, valid_until,"
                        + " description, path_len, limit.NAME, allow_key_ids, invitation_code, max_requests_per_minute)");
            }
        }

        private static List<String> items(String value) {
            List<String> out = new ArrayList<>();
            for (String s : value.split(",", -1)) {
                if (s.isBlank()) {
                    throw new IllegalArgumentException("empty item in \"" + value + "\"");
                }
                out.add(s.strip());
            }
            return out;
        }

        private static KeyId keyId(String hex) {
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("\"" + hex + "\" is not a key id (64 hex digits)");
            }
            return KeyId.fromHex(hex);
        }

        private static int integer(String s) {
            if (!s.matches("\\d{1,9}")) {
                throw new IllegalArgumentException("\"" + s + "\" is not a whole number");
            }
            return Integer.parseInt(s);
        }

        /** {@code 2026-12-31} (through the end of that day, UTC) or {@code 2026-12-31T12:00:00Z}. */
        private static Instant instant(String s) {
            try {
                if (s.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    return LocalDate.parse(s).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
                }
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + s + "\" is not a date (2026-12-31) or UTC time (2026-12-31T12:00:00Z)", e);
            }
        }

        /**
         * Checks the settings fit together and makes the policy.
         *
         * @throws IllegalStateException naming the conflict
         */
        public PortalPolicy build() {
            if (types.contains(CertType.DELPRIV) && delTypes.isEmpty()) {
                throw new IllegalStateException("types includes delpriv: set del_types (exppriv and/or reppriv)");
            }
            if (!types.contains(CertType.DELPRIV) && !delTypes.isEmpty()) {
                throw new IllegalStateException("del_types is set but types does not include delpriv");
            }
            if (validUntil != null && !validUntil.isAfter(clock.instant())) {
                throw new IllegalStateException("valid_until " + validUntil + " has passed");
            }
            return new PortalPolicy(this);
        }
    }
}
