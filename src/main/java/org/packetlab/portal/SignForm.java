package org.packetlab.portal;

import java.net.InetAddress;

/**
 * A decoded signing request from the upload form: the CSR bytes (PEM or DER, not yet parsed),
 * the invitation code typed (null when none), and who sent it (for the issuance log).
 */
record SignForm(byte[] csr, String code, InetAddress requester) {
}
