package org.packetlab.ppks;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The outcome of verifying a certificate chain: {@link Verified} or {@link Rejected}, never a bare boolean. */
public sealed interface Verdict permits Verdict.Verified, Verdict.Rejected {

    /** Whether the chain verified. */
    boolean isVerified();

    /** One line for logs and the command line. */
    String describe();

    /**
     * A verified chain.
     *
     * @param mode  the mode it was verified in
     * @param chain the certificates that form the chain, leaf first (extras the peer sent are not included)
     * @param root  the trusted root that signed the top certificate; empty when no roots were configured
     */
    record Verified(VerifyMode mode, List<Cert> chain, Optional<Ed25519PublicKey> root) implements Verdict {
        public Verified {
            Objects.requireNonNull(mode, "mode");
            chain = List.copyOf(chain);
            Objects.requireNonNull(root, "root");
        }

        @Override
        public boolean isVerified() {
            return true;
        }

        /** The first certificate: its subject is the peer's key. */
        public Cert leaf() {
            return chain.get(0);
        }

        /** The last certificate of the chain. */
        public Cert top() {
            return chain.get(chain.size() - 1);
        }

        /**
         * The private channel a controller publishes to: the AKI of its exppriv certificate, i.e.
         * the key id of the endpoint operator that granted the privilege (spec/certificates.md §5.5).
         */
        public KeyId publishableChannel() {
            if (mode != VerifyMode.ENDPOINT_AUTH_CONTROLLER) {
                throw new IllegalStateException("publishable channel needs a controller chain, not " + mode);
            }
            return top().authorityKeyId();
        }

        /**
         * The private channels an endpoint may subscribe to: the AKI of every certificate of its
         * verified subcmd/delpriv chain, leaf first (spec/certificates.md §5.5).
         */
        public List<KeyId> subscribableChannels() {
            if (mode != VerifyMode.CONTROLLER_AUTH_ENDPOINT) {
                throw new IllegalStateException("subscribable channels need an endpoint chain, not " + mode);
            }
            return chain.stream().map(Cert::authorityKeyId).toList();
        }

        @Override
        public String describe() {
            return "verified " + mode + ": " + chain.size() + " certificate(s), "
                    + root.map(r -> "root " + r.keyId().hex()).orElse("no roots configured (top not checked)");
        }
    }

    /**
     * A rejected chain.
     *
     * @param failure the reference's failure code
     * @param index   position in the list as received of the certificate at fault, or -1 when the
     *                failure is about the list as a whole (too few or too many certificates)
     * @param reason  what was wrong, for a human
     */
    record Rejected(ChainFailure failure, int index, String reason) implements Verdict {
        public Rejected {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean isVerified() {
            return false;
        }

        @Override
        public String describe() {
            return failure + (index >= 0 ? " at certificate " + index : "") + ": " + reason;
        }
    }
}
