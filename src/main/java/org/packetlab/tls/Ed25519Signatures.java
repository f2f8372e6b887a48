package org.packetlab.tls;

import java.io.ByteArrayOutputStream;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.SignatureSpi;
import java.util.List;
import java.util.Map;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * A JCA provider offering only the {@code Ed25519} signature, computed with the ppks keys (Bouncy
 * Castle), and installed first so that JSSE's handshake signatures (CertificateVerify, made and
 * checked on every connection) use it. The JDK's own EdDSA took about 2 ms per signature and as
 * much per verification here, ten times Bouncy Castle, and dominated the cost of a PacketLab
 * handshake. Signatures are identical (Ed25519 is deterministic); everything else stays with the
 * JDK providers. A key this provider cannot read makes JCA fall back to the next provider.
 */
final class Ed25519Signatures extends Provider {
    private static final long serialVersionUID = 1L;
    static final String NAME = "PacketLabEd25519";

    private Ed25519Signatures() {
        super(NAME, "1.0", "Ed25519 signatures for PacketLab TLS handshakes (Bouncy Castle)");
        putService(new Service(this, "Signature", "Ed25519", Spi.class.getName(), List.of("EdDSA", "1.3.101.112", "OID.1.3.101.112"),
                Map.of()) {
            @Override
            public Object newInstance(Object constructorParameter) {
                return new Spi();
            }
        });
    }

    /** Installs the provider in first place, once per JVM (idempotent; another copy already there is kept). */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new Ed25519Signatures(), 1);
        }
    }

    /** One pure-Ed25519 signing or verifying operation; the message is buffered, as Ed25519 needs it whole. */
    static final class Spi extends SignatureSpi {
        private final ByteArrayOutputStream message = new ByteArrayOutputStream(256);
        private Ed25519PrivateKey signer;
        private Ed25519PublicKey verifier;

        @Override
        protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
            try {
                signer = Ed25519PrivateKey.fromJava(key);
            } catch (IllegalArgumentException e) {
                throw new InvalidKeyException("not an Ed25519 private key: " + e.getMessage(), e);
            }
            verifier = null;
            message.reset();
        }

        @Override
        protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
            try {
                verifier = Ed25519PublicKey.fromJava(key);
            } catch (IllegalArgumentException e) {
                throw new InvalidKeyException("not an Ed25519 public key: " + e.getMessage(), e);
            }
            signer = null;
            message.reset();
        }

        @Override
        protected void engineUpdate(byte b) {
            message.write(b);
        }

        @Override
        protected void engineUpdate(byte[] b, int off, int len) {
            message.write(b, off, len);
        }

        @Override
        protected byte[] engineSign() {
            if (signer == null) {
                throw new IllegalStateException("not initialised for signing");
            }
            byte[] sig = signer.sign(message.toByteArray());
            message.reset();
            return sig;
        }

        @Override
        protected boolean engineVerify(byte[] sigBytes) {
            if (verifier == null) {
                throw new IllegalStateException("not initialised for verification");
            }
            boolean ok = verifier.verify(message.toByteArray(), sigBytes);
            message.reset();
            return ok;
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("Ed25519 takes no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("Ed25519 takes no parameters");
        }
    }
}
