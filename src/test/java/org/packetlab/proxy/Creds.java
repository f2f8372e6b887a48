package org.packetlab.proxy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;

/** Test credentials made with the ppks builders: agent identities, and an experiment chain for the manager's TLS server. */
final class Creds {
    static final Ed25519PrivateKey K_PRX = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_XC = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_OTHER = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_EXPER = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_EOP = Ed25519PrivateKey.generate();

    private Creds() {}

    /** A self-signed agent identity for {@code key}. */
    static TlsIdentity agent(Ed25519PrivateKey key) {
        return agentSignedBy(key, key);
    }

    /** An agent identity for {@code key} whose certificate {@code signer} signed. */
    static TlsIdentity agentSignedBy(Ed25519PrivateKey key, Ed25519PrivateKey signer) {
        Cert c = Cert.agent().subject(key.publicKey()).validFor(Duration.ofDays(1)).signWith(signer);
        return TlsIdentity.of(key, List.of(c));
    }

    static List<Ed25519PublicKey> roots(Ed25519PrivateKey... keys) {
        return Arrays.stream(keys).map(Ed25519PrivateKey::publicKey).toList();
    }

    /** The manager's TLS server for endpoint sessions: the experiment chain of K_XC for {@code snikey}. */
    static PpksTls.Server managerServer(Snikey snikey) throws SSLException {
        Cert exppriv = Cert.exppriv().subject(K_EXPER.publicKey()).validFor(Duration.ofDays(1)).signWith(K_EOP);
        Cert pubcmd = Cert.pubcmd().subject(K_XC.publicKey()).validFor(Duration.ofDays(1)).signWith(K_EXPER);
        return PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .entry(snikey, TlsIdentity.of(K_XC, List.of(exppriv, pubcmd)), List.of())
                .build();
    }

    /** An endpoint's TLS client: checks the manager's chain against K_EOP and sends {@code sni} (none when null). */
    static PpksTls.Client endpointClient(Snikey sni) throws SSLException {
        PpksTls.ClientBuilder b = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER).roots(roots(K_EOP));
        if (sni != null) {
            b.sni(sni);
        }
        return b.build();
    }
}
