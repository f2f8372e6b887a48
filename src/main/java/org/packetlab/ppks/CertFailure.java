package org.packetlab.ppks;

/**
 * Why a certificate failed to decode: the reference's result codes of
 * {@code pktlab_decode_certificate} and {@code pktlab_decode_cert_detail} (spec/certificates.md §4.1).
 */
public enum CertFailure {
    /** Not a DER certificate at all (or larger than 64 KiB); the reference fails in OpenSSL's parser (fault). */
    MALFORMED(127),
    /** Outer or TBS signature algorithm is not Ed25519. */
    BAD_SIGALG(2),
    /** The signature does not verify with the given issuer key. */
    BAD_SIGNATURE(3),
    /** Not an X.509 v3 certificate. */
    BAD_X509_VER(4),
    /** Unique IDs present, no extensions, an extension outside the profile, or one extension twice. */
    USING_UNUSED_FIELD(5),
    /** {@code cert_type} missing or unknown. */
    BAD_CERT_TYPE(6),
    /** Key usage missing or not the exact bits of the type. */
    BAD_KEYUSAGE(7),
    /** Serial number zero. */
    BAD_SERIAL(8),
    /** Validity not decodable. */
    BAD_VALIDITY(9),
    /** Subject key not a raw 32-byte Ed25519 key. */
    BAD_SUBJ_PUBKEY(10),
    /** Authority key identifier missing, critical, or not a 32-byte keyIdentifier. */
    BAD_AID(11),
    /** Subject key identifier missing, critical, not 32 bytes, or not the key id of the subject key. */
    BAD_SID(12),
    /** Basic constraints missing, non-critical, or inconsistent with the type. */
    BAD_BC(13),
    /** cert_info (1.2.3.1) missing, non-critical, badly encoded or malformed. */
    BAD_CERT_INFO(14),
    /** cert_limit (1.2.3.3) on a type that forbids it, non-critical, badly encoded or malformed. */
    BAD_CERT_LIMIT(15),
    /** {@code max_num_priority} not a decimal u64. */
    BAD_MAX_NUM_PRIORITY(16),
    /** {@code monitor} not a concatenation of hex SHA-256 digests. */
    BAD_MONITOR_DIGESTS(17),
    /** {@code del_type} missing on delpriv, present on another type, or holding an unknown item. */
    BAD_DEL_TYPE(18),
    /** {@code valid_dest} not a list of IP addresses or prefixes. */
    BAD_VALID_DEST(20),
    /** {@code src_ip_spoofing} not 0 or 1. */
    BAD_SRC_IP_SPOOFING(21),
    /** {@code max_burst_rate_byte}/{@code max_burst_rate_pkt} not a list of {@code COUNT/WINDOW}. */
    BAD_BURST_RATE(22),
    /** {@code max_socket_count} not a decimal u64. */
    BAD_MAX_SOCKET_COUNT(23),
    /** {@code max_exp_period} not a decimal u64. */
    BAD_MAX_EXP_PERIOD(24),
    /** {@code max_send_byte} not a decimal u64. */
    BAD_MAX_SEND_BYTE(25),
    /** {@code max_send_pkt} not a decimal u64. */
    BAD_MAX_SEND_PKT(26),
    /** {@code max_recv_byte} not a decimal u64. */
    BAD_MAX_RECV_BYTE(27),
    /** {@code max_recv_pkt} not a decimal u64. */
    BAD_MAX_RECV_PKT(28);

    private final int code;

    CertFailure(int code) {
        this.code = code;
    }

    /** The reference's numeric result code. */
    public int code() {
        return code;
    }
}
