/** The privilege portal: a web page where experimenters upload a CSR and download the privilege an operator's policy grants, and the client that asks one. */
package org.packetlab.portal;
