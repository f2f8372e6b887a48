package org.packetlab.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Channel;

/**
 * Test credentials made with the ppks builders, as {@code pktlab_init} would: a broker operator
 * (BOp) and the broker's agent certificate; an endpoint operator (EOp) granting an experimenter
 * an exppriv, the experimenter's pubcmd for its controller, the EOp's subcmd for its endpoint, and
 * self-signed agent certificates. A second operator (other) gives chains that must not be accepted.
 */
final class Creds {
    static final Instant FROM = Instant.now().minus(Duration.ofDays(1));
    static final Duration VALID = Duration.ofDays(30);

    static final Ed25519PrivateKey K_BOP = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_BRK = Ed25519PrivateKey.generate();
    static final Cert AGENT_BOP_BRK = sign(Cert.agent(), K_BRK.publicKey(), K_BOP);

    static final Ed25519PrivateKey K_EOP = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_EXPER = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_XC = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_EP = Ed25519PrivateKey.generate();
    static final Cert EXPPRIV_EOP_EXPER = sign(Cert.exppriv().maxNumPriority(10), K_EXPER.publicKey(), K_EOP);
    static final Cert PUBCMD_EXPER_XC = sign(Cert.pubcmd(), K_XC.publicKey(), K_EXPER);
    static final Cert SUBCMD_EOP_EP = sign(Cert.subcmd(), K_EP.publicKey(), K_EOP);
    static final Cert AGENT_XC_XC = sign(Cert.agent(), K_XC.publicKey(), K_XC);
    static final Cert AGENT_EP_EP = sign(Cert.agent(), K_EP.publicKey(), K_EP);

    /** A delegated endpoint operator: EOp → delpriv(reppriv) → DEOp → subcmd → endpoint 2. */
    static final Ed25519PrivateKey K_DEOP = Ed25519PrivateKey.generate();
    static final Ed25519PrivateKey K_EP2 = Ed25519PrivateKey.generate();
    static final Cert DELPRIV_EOP_DEOP = sign(Cert.delpriv(DelType.REPPRIV), K_DEOP.publicKey(), K_EOP);
    static final Cert SUBCMD_DEOP_EP2 = sign(Cert.subcmd(), K_EP2.publicKey(), K_DEOP);
    static final Cert AGENT_EP2_EP2 = sign(Cert.agent(), K_EP2.publicKey(), K_EP2);

    /** Another endpoint operator, with its own experimenter chain for the same controller. */
    static final Ed25519PrivateKey K_OTHER = Ed25519PrivateKey.generate();
    static final Cert EXPPRIV_OTHER_EXPER = sign(Cert.exppriv(), K_EXPER.publicKey(), K_OTHER);

    /** The EOp's private channel: keyid(EOp). */
    static final Channel H = Channel.of(K_EOP.keyId().bytes());
    static final Channel OTHER = Channel.of(K_OTHER.keyId().bytes());
    static final Channel DEOP = Channel.of(K_DEOP.keyId().bytes());

    private Creds() {}

    static Cert sign(Cert.Builder b, Ed25519PublicKey subject, Ed25519PrivateKey signer) {
        return b.subject(subject).validFrom(FROM).validFor(VALID).signWith(signer);
    }

    static TlsIdentity controllerAgent() {
        return new TlsIdentity(List.of(AGENT_XC_XC), K_XC);
    }

    static TlsIdentity endpointAgent() {
        return new TlsIdentity(List.of(AGENT_EP_EP), K_EP);
    }

    static TlsIdentity endpoint2Agent() {
        return new TlsIdentity(List.of(AGENT_EP2_EP2), K_EP2);
    }

    /** A fresh self-signed agent identity. */
    static TlsIdentity freshAgent() {
        Ed25519PrivateKey k = Ed25519PrivateKey.generate();
        return new TlsIdentity(List.of(sign(Cert.agent(), k.publicKey(), k)), k);
    }

    /** A public channel named by ASCII text. */
    static Channel pub(String name) {
        return Channel.of(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
