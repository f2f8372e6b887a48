package org.packetlab.portal;

import java.util.Objects;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * A privilege a portal granted: the certificate it signed for the requester's key and the
 * operator key that signed it (already checked to match), with the name of the operator's policy.
 *
 * @param policyName the portal's policy name, suggested as the privilege's name; empty when the portal gave none
 */
public record GrantedPrivilege(Cert cert, Ed25519PublicKey operatorKey, String policyName) {
    public GrantedPrivilege {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(operatorKey, "operatorKey");
        Objects.requireNonNull(policyName, "policyName");
    }
}
