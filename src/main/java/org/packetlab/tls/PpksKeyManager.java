package org.packetlab.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.packetlab.ppks.Cert;

/**
 * A JSSE key manager holding one PacketLab identity: offers it for the Ed25519 key type ("EdDSA"
 * in JSSE, also "Ed25519") whatever issuers the peer names, since PPKS ignores names.
 */
final class PpksKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "ppks";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    PpksKeyManager(TlsIdentity identity) {
        List<Cert> certs = identity.chain();
        this.chain = certs.stream().map(Cert::toX509).toArray(X509Certificate[]::new);
        this.key = identity.key().toJava();
    }

    private static boolean fits(String keyType) {
        return "EdDSA".equals(keyType) || "Ed25519".equals(keyType);
    }

    private static String choose(String[] keyTypes) {
        if (keyTypes != null) {
            for (String t : keyTypes) {
                if (fits(t)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
