package org.packetlab.wire;

/**
 * A request: a message the receiver answers with exactly one response, in request order
 * (type codes 0x20-0x3F and the proxy request 0x80; spec/wire-protocol.md §4, §12.2).
 */
public sealed interface Request extends Message
        permits Cdata, Start, End, Yield, Cont, Mread, Mwrite, Nopen, Nclose, Nsend, Ncap, Nctl, Xcert, Xpub, Xsub, Xreg {
}
