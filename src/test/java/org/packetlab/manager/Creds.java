package org.packetlab.manager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;
import org.packetlab.wire.Snikey;

/** The reference credentials (test resources, as pktlab_init names them) and credentials made from them for tests. */
final class Creds {
    private Creds() {}

    static byte[] vector(String path) {
        try (InputStream in = Creds.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IOException("missing test resource /vectors/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Ed25519PrivateKey key(String name) {
        return Ed25519PrivateKey.parsePem(new String(vector("creds-reference/keys/" + name), StandardCharsets.US_ASCII));
    }

    static Ed25519PublicKey pub(String name) {
        return Ed25519PublicKey.parsePem(new String(vector("creds-reference/keys/" + name + ".pub"), StandardCharsets.US_ASCII));
    }

    static Cert cert(String name) {
        try {
            return Cert.parse(vector("creds-reference/certs/" + name + ".cert"));
        } catch (CertException e) {
            throw new AssertionError(e);
        }
    }

    /** The controller identity of a pktlab_init home: chain file order exppriv, pubcmd; endpoints must chain to k_eop. */
    static Identity controller() {
        return Identity.of(key("k_xc"), List.of(cert("exppriv_eop_exper"), cert("pubcmd_exper_xc")), List.of(pub("k_eop")));
    }

    /** A controller identity whose exppriv (signed by k_eop for k_exper) names monitor programs. */
    static Identity controllerWithMonitors(Digest... monitors) {
        Cert exppriv = Cert.exppriv().subject(pub("k_exper")).validFor(Duration.ofDays(1)).monitor(monitors).signWith(key("k_eop"));
        Cert pubcmd = Cert.pubcmd().subject(pub("k_xc")).validFor(Duration.ofDays(1)).signWith(key("k_exper"));
        return Identity.of(key("k_xc"), List.of(exppriv, pubcmd), List.of(pub("k_eop")));
    }

    /** The endpoint of a pktlab_init home: subcmd signed by k_eop. */
    static TlsIdentity endpoint() {
        return TlsIdentity.of(key("k_ep"), List.of(cert("subcmd_eop_ep")));
    }

    /** An endpoint whose subcmd was signed by an operator key nobody trusts. */
    static TlsIdentity strangerEndpoint() {
        Ed25519PrivateKey stranger = Ed25519PrivateKey.generate();
        Cert subcmd = Cert.subcmd().subject(pub("k_ep")).validFor(Duration.ofDays(1)).signWith(stranger);
        return TlsIdentity.of(key("k_ep"), List.of(subcmd));
    }

    /** An endpoint's TLS client towards a manager: checks the experiment chain against k_eop, sends {@code sni} when not null. */
    static PpksTls.Client client(TlsIdentity endpoint, Snikey sni) {
        var b = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER).roots(List.of(pub("k_eop"))).identity(endpoint);
        if (sni != null) {
            b.sni(sni);
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new AssertionError(e);
        }
    }
}
