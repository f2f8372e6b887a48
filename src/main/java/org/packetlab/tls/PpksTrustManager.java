package org.packetlab.tls;

import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedTrustManager;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Verdict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSSE trust manager that runs the PPKS chain verifier on the peer's chain instead of PKIX
 * (spec/certificates.md §9.4): no names, no path building, and the critical PacketLab extensions
 * are understood. The verdict is stored in the handshake session for {@link PpksTls#peerVerdict}.
 */
final class PpksTrustManager extends X509ExtendedTrustManager {
    static final String VERDICT_KEY = "org.packetlab.ppks.verdict";
    private static final Logger log = LoggerFactory.getLogger(PpksTrustManager.class);

    private final ChainVerifier verifier;

    PpksTrustManager(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    private void check(X509Certificate[] chain, SSLSession handshake, String peer) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("PPKS: peer sent no certificate");
        }
        List<byte[]> encoded = new ArrayList<>(chain.length);
        for (X509Certificate c : chain) {
            try {
                encoded.add(c.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new CertificateException("PPKS: peer certificate has no encoding", e);
            }
        }
        Verdict verdict = verifier.verifyEncoded(encoded);
        if (verdict instanceof Verdict.Rejected rejected) {
            log.info("rejected the {} chain of {}: {}", verifier.mode(), peer, rejected.describe());
            throw new CertificateException("PPKS " + verifier.mode() + ": " + rejected.describe());
        }
        if (handshake != null) {
            handshake.putValue(VERDICT_KEY, verdict);
        }
    }

    private void check(X509Certificate[] chain, SSLEngine engine) throws CertificateException {
        check(chain, engine == null ? null : engine.getHandshakeSession(),
                engine == null || engine.getPeerHost() == null ? "peer" : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    private void check(X509Certificate[] chain, Socket socket) throws CertificateException {
        SSLSession handshake = socket instanceof javax.net.ssl.SSLSocket s ? s.getHandshakeSession() : null;
        check(chain, handshake, socket == null ? "peer" : String.valueOf(socket.getRemoteSocketAddress()));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, (SSLSession) null, "peer");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, (SSLSession) null, "peer");
    }

    /** PPKS roots are keys, not certificates: no issuer names to suggest. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
