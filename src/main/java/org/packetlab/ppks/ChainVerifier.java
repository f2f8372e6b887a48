package org.packetlab.ppks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a PacketLab certificate chain the way {@code pktlab_verify_cert_chain} does
 * (spec/certificates.md §5.2), in one {@link VerifyMode} against a set of trusted root keys.
 * Immutable and thread-safe.
 *
 * <p>The peer's list is used as received: position 0 is the leaf; each next certificate is the
 * first not-yet-used entry whose SKI equals the current AKI, without backtracking. Unrelated
 * extra certificates are ignored, but every certificate must decode. Whenever the chain may end,
 * the top is checked against the roots and a valid end is saved; the longest saved chain wins.
 *
 * <h2>Roots</h2>
 * No roots means any top is accepted and its signature is not checked (in agent mode that means
 * no signature is checked at all), as in the reference.
 *
 * <h2>Bounded work</h2>
 * Lists longer than {@link #MAX_CHAIN_LENGTH} are refused before anything else is looked at.
 */
public final class ChainVerifier {
    /** Most certificates we look at in one chain (the reference has no bound in modes 0 and 1). */
    public static final int MAX_CHAIN_LENGTH = 16;

    private final VerifyMode mode;
    private final List<Ed25519PublicKey> roots;
    private final Clock clock;

    private ChainVerifier(VerifyMode mode, List<Ed25519PublicKey> roots, Clock clock) {
        this.mode = mode;
        this.roots = roots;
        this.clock = clock;
    }

    /** A verifier for {@code mode} trusting {@code roots} (none = accept any top), using the system clock. */
    public static ChainVerifier of(VerifyMode mode, Collection<Ed25519PublicKey> roots) {
        return new ChainVerifier(Objects.requireNonNull(mode, "mode"), List.copyOf(roots), Clock.systemUTC());
    }

    /** A verifier for {@code mode} trusting {@code roots}. */
    public static ChainVerifier of(VerifyMode mode, Ed25519PublicKey... roots) {
        return of(mode, List.of(roots));
    }

    /** A copy that takes "now" from {@code clock}. */
    public ChainVerifier withClock(Clock clock) {
        return new ChainVerifier(mode, roots, Objects.requireNonNull(clock, "clock"));
    }

    public VerifyMode mode() {
        return mode;
    }

    public List<Ed25519PublicKey> roots() {
        return roots;
    }

    /** Verifies encoded certificates (DER) as received from a peer, decoding each first. */
    public Verdict verifyEncoded(List<byte[]> chain) {
        return verifyEncoded(chain, clock.instant());
    }

    /** Verifies encoded certificates at time {@code now}; a certificate that does not decode is {@code BAD_CERT}. */
    public Verdict verifyEncoded(List<byte[]> chain, Instant now) {
        Verdict count = checkCount(chain.size());
        if (count != null) {
            return count;
        }
        List<Cert> certs = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            try {
                certs.add(Cert.parse(chain.get(i)));
            } catch (CertException e) {
                return new Verdict.Rejected(ChainFailure.BAD_CERT, i, e.getMessage());
            }
        }
        return verify(certs, now);
    }

    /** Verifies decoded certificates, leaf first as received, at the clock's current time. */
    public Verdict verify(List<Cert> chain) {
        return verify(chain, clock.instant());
    }

    /** Verifies decoded certificates, leaf first as received, at time {@code now}. */
    public Verdict verify(List<Cert> certs, Instant now) {
        Verdict count = checkCount(certs.size());
        if (count != null) {
            return count;
        }
        return new Walk(certs, now).run();
    }

    private Verdict checkCount(int n) {
        if (n < mode.minCerts()) {
            return new Verdict.Rejected(ChainFailure.NOT_ENOUGH_CERT, -1, n + " certificate(s), " + mode + " needs at least " + mode.minCerts());
        }
        if (n > mode.maxCerts()) {
            return new Verdict.Rejected(ChainFailure.TOO_MANY_CERT, -1, n + " certificates, " + mode + " allows " + mode.maxCerts());
        }
        if (n > MAX_CHAIN_LENGTH) {
            return new Verdict.Rejected(ChainFailure.TOO_MANY_CERT, -1, n + " certificates, more than we examine (" + MAX_CHAIN_LENGTH + ")");
        }
        return null;
    }

    /** One run of the §5.2 algorithm over one list. */
    private final class Walk {
        private final List<Cert> certs;
        private final Instant now;
        private final boolean[] used;
        private final List<Integer> chain = new ArrayList<>();
        private Verdict.Verified saved;

        Walk(List<Cert> certs, Instant now) {
            this.certs = certs;
            this.now = now;
            this.used = new boolean[certs.size()];
        }

        Verdict run() {
            Verdict.Rejected error = walk();
            return saved != null ? saved : error;
        }

        /** Extends the chain as far as it goes; returns why it stopped (ignored when a chain was saved). */
        private Verdict.Rejected walk() {
            List<VerifyMode.Phase> phases = mode.phases();
            int phase = 0;
            int cand = 0;
            while (true) {
                Cert c = certs.get(cand);
                if (!c.isValidAt(now)) {
                    return reject(ChainFailure.EXPIRED_CERT, cand, c.type() + " is valid " + c.notBefore() + ".." + c.notAfter() + ", not at " + now);
                }
                // a failed type check ends an unbounded phase and the same certificate meets the next phase
                while (!phases.get(phase).accepts(c)) {
                    VerifyMode.Phase p = phases.get(phase);
                    if (!p.unbounded()) {
                        return c.type() == p.type()
                                ? reject(ChainFailure.BAD_DEL_TYPE, cand, "delpriv delegates " + c.delTypes() + ", this place needs " + p.requiredDelType())
                                : reject(ChainFailure.UNEXPECTED_CERT, cand, c.type() + " where " + expected(p) + " is expected");
                    }
                    if (++phase == phases.size()) {
                        return reject(ChainFailure.END_OF_PHASES, cand, c.type() + " fits no remaining place of a " + mode + " chain");
                    }
                }
                if (cand != 0) {
                    int below = chain.size();
                    if (c.pathLen().isPresent() && below - 1 > c.pathLen().getAsInt()) {
                        return reject(ChainFailure.PATHLEN_EXCEEDED, cand, "pathLen " + c.pathLen().getAsInt() + " but " + (below - 1)
                                + " privilege certificate(s) below it");
                    }
                    int childIndex = chain.get(below - 1);
                    if (!certs.get(childIndex).isSignedBy(c.subject())) {
                        return reject(ChainFailure.BAD_CERT, childIndex, "signature does not verify with the key of certificate " + cand);
                    }
                }
                chain.add(cand);
                used[cand] = true;
                VerifyMode.Phase p = phases.get(phase);
                if (p.end() != VerifyMode.End.MUST_NOT) {
                    Verdict.Rejected end = tryEnd(cand);
                    if (end != null && p.end() == VerifyMode.End.MUST) {
                        return end;
                    }
                }
                if (p.end() == VerifyMode.End.MUST) {
                    return null;
                }
                if (!p.unbounded()) {
                    phase++;
                }
                int next = parentOf(c);
                if (next < 0) {
                    return reject(ChainFailure.NO_MATCHING_SIGN_KEY, cand, "no unused certificate has SKI " + c.authorityKeyId().hex()
                            + (roots.isEmpty() ? "" : " and no trusted root ends the chain here"));
                }
                cand = next;
            }
        }

        /** Checks whether the chain may end at {@code top}; saves it if so, else says why not. */
        private Verdict.Rejected tryEnd(int top) {
            Cert c = certs.get(top);
            if (roots.isEmpty()) {
                save(Optional.empty());
                return null;
            }
            boolean badSignature = false;
            for (Ed25519PublicKey root : roots) {
                if (root.keyId().equals(c.authorityKeyId())) {
                    if (c.isSignedBy(root)) {
                        save(Optional.of(root));
                        return null;
                    }
                    badSignature = true;
                }
            }
            return badSignature
                    ? reject(ChainFailure.BAD_CERT, top, "signature does not verify with the trusted root " + c.authorityKeyId().hex())
                    : reject(ChainFailure.NO_MATCHING_SIGN_KEY, top, "signed by " + c.authorityKeyId().hex() + ", which is not a trusted root");
        }

        private void save(Optional<Ed25519PublicKey> root) {
            saved = new Verdict.Verified(mode, chain.stream().map(certs::get).toList(), root);
        }

        private int parentOf(Cert c) {
            for (int i = 1; i < certs.size(); i++) {
                if (!used[i] && certs.get(i).subjectKeyId().equals(c.authorityKeyId())) {
                    return i;
                }
            }
            return -1;
        }

        private String expected(VerifyMode.Phase p) {
            return p.requiredDelType() == null ? p.type().token() : p.type() + "[" + p.requiredDelType() + "]";
        }

        private Verdict.Rejected reject(ChainFailure failure, int index, String reason) {
            return new Verdict.Rejected(failure, index, reason);
        }
    }
}
