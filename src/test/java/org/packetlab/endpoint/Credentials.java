package org.packetlab.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * Fresh PPKS credentials for one test: an endpoint operator (EOp) key, an experimenter, a
 * controller (manager) and an endpoint, with the two chains of the tutorial: the endpoint's
 * {@code subcmd(eop -> ep)} and the controller's {@code pubcmd(exper -> xc), exppriv(eop -> exper)}.
 */
final class Credentials {
    final Ed25519PrivateKey eop = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey exper = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey controller = Ed25519PrivateKey.generate();
    final Ed25519PrivateKey endpoint = Ed25519PrivateKey.generate();
    final Cert subcmd = Cert.subcmd().subject(endpoint.publicKey()).validFor(Duration.ofDays(1)).signWith(eop);
    final Cert pubcmd = Cert.pubcmd().subject(controller.publicKey()).validFor(Duration.ofDays(1)).signWith(exper);

    /** The endpoint operator's public key: the root endpoints trust. */
    Ed25519PublicKey eopPublic() {
        return eop.publicKey();
    }

    /** The controller chain (leaf first) with an exppriv shaped by {@code limits}. */
    List<Cert> controllerChain(UnaryOperator<Cert.Builder> limits) {
        Cert exppriv = limits.apply(Cert.exppriv().subject(exper.publicKey()).validFor(Duration.ofDays(1))).signWith(eop);
        return List.of(pubcmd, exppriv);
    }

    /**
     * A delegated controller chain {@code pubcmd(deputy -> xc), delpriv(exper -> deputy), exppriv(eop -> exper)},
     * each privilege shaped by its own limits.
     */
    List<Cert> delegatedControllerChain(UnaryOperator<Cert.Builder> expprivLimits, UnaryOperator<Cert.Builder> delprivLimits) {
        Ed25519PrivateKey deputy = Ed25519PrivateKey.generate();
        Cert exppriv = expprivLimits.apply(Cert.exppriv().subject(exper.publicKey()).validFor(Duration.ofDays(1))).signWith(eop);
        Cert delpriv = delprivLimits.apply(Cert.delpriv(DelType.EXPPRIV).subject(deputy.publicKey()).validFor(Duration.ofDays(1))).signWith(exper);
        Cert leaf = Cert.pubcmd().subject(controller.publicKey()).validFor(Duration.ofDays(1)).signWith(deputy);
        return List.of(leaf, delpriv, exppriv);
    }

    /** The controller chain without limits. */
    List<Cert> controllerChain() {
        return controllerChain(b -> b);
    }
}
