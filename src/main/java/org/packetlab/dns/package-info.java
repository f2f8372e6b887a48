/**
 * DNS messages (an RFC 1035 subset): an immutable model and its codec, used by the lab's DNS
 * responder and by mlets that query a resolver through an endpoint. Depends on nothing of ours.
 */
package org.packetlab.dns;
