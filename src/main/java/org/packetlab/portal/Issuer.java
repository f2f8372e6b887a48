package org.packetlab.portal;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides and signs: checks a decoded form against the policy (invitation code, the CSR and its
 * self-signature, allowed keys, type and limits), and when everything holds signs the policy's
 * certificate with the operator key and records it in the issuance log before it is handed out.
 * Blocking (the log is forced to disk): runs on the portal's issuing thread, one request at a time.
 */
final class Issuer {
    private static final Logger log = LoggerFactory.getLogger(Issuer.class);

    private final PortalPolicy policy;
    private final Ed25519PrivateKey operatorKey;
    private final IssuanceLog issuanceLog;
    private final Clock clock;
    private final RandomGenerator random;

    Issuer(PortalPolicy policy, Ed25519PrivateKey operatorKey, IssuanceLog issuanceLog, Clock clock, RandomGenerator random) {
        this.policy = policy;
        this.operatorKey = operatorKey;
        this.issuanceLog = issuanceLog;
        this.clock = clock;
        this.random = random;
    }

    /**
     * The answer to one signing request: {@link PortalReply.Issued} or a refusal.
     *
     * @throws IOException when the issuance log cannot be written (then nothing was issued)
     */
    PortalReply issue(SignForm form) throws IOException {
        if (!policy.codeMatches(form.code())) {
            log.info("{} refused: wrong invitation code", form.requester());
            return PortalReply.Refused.forbidden(form.code() == null || form.code().isBlank()
                    ? "This portal needs the invitation code the operator gave you."
                    : "The invitation code is not right. Check it with the operator who gave it to you.");
        }
        Csr csr;
        try {
            csr = Csr.parse(form.csr());
        } catch (CertException e) {
            log.info("{} refused: {}", form.requester(), e.getMessage());
            return refusal(e);
        }
        Optional<String> refusal = policy.refusal(csr);
        if (refusal.isPresent()) {
            log.info("{} refused key {}: {}", form.requester(), csr.subject().keyId().hex(), refusal.get());
            return PortalReply.Refused.forbidden(refusal.get());
        }
        Instant now = clock.instant();
        if (policy.validUntil().isPresent() && !now.isBefore(policy.validUntil().get())) {
            return new PortalReply.Refused(HttpResponseStatus.SERVICE_UNAVAILABLE, "No longer issuing",
                    "The operator's policy granted privileges until " + policy.validUntil().get() + "; that time has passed.");
        }
        Cert cert = policy.certificate(csr, now).serial(issuanceLog.nextSerial(random)).signWith(operatorKey);
        issuanceLog.append(new IssuanceLog.Entry(cert, now, policy.name(), policy.sha256(), form.requester()));
        log.info("{} issued {} serial {} to key {} until {}", form.requester(), cert.type(), cert.serial().toString(16),
                cert.subjectKeyId().hex(), cert.notAfter());
        return new PortalReply.Issued(cert);
    }

    private static PortalReply refusal(CertException e) {
        return switch (e.failure()) {
            case MALFORMED -> PortalReply.Refused.badRequest("Not a certificate request",
                    "The upload is not a PKCS#10 certificate request (a file starting with"
                            + " \"-----BEGIN CERTIFICATE REQUEST-----\", or its DER form): " + e.reason());
            case BAD_SUBJ_PUBKEY -> PortalReply.Refused.badRequest("Not an Ed25519 key",
                    "PacketLab keys are Ed25519; this request holds another kind of key: " + e.reason());
            case BAD_SIGALG -> PortalReply.Refused.badRequest("Not signed with Ed25519",
                    "The request is not signed with an Ed25519 key: " + e.reason());
            case BAD_SIGNATURE -> PortalReply.Refused.badRequest("Bad self-signature",
                    "The request's signature does not verify with its own key: the file was changed or damaged after it was made.");
            default -> PortalReply.Refused.badRequest("Not a PacketLab request",
                    "The request does not follow the PacketLab certificate profile (" + e.failure() + "): " + e.reason());
        };
    }
}
