package org.packetlab.broker;

import org.packetlab.ppks.Ed25519PublicKey;

/** Short key names for log lines. */
final class KeyIds {
    private KeyIds() {}

    /** The key id (hex) of a raw 32-byte public key. */
    static String of(byte[] rawKey) {
        return Ed25519PublicKey.fromRaw(rawKey).keyId().hex();
    }
}
