package org.packetlab.wire;

/** A message of the broker and proxy connections: xcert, xpub, xsub, xnotify, xreg (spec/wire-protocol.md §12.6). */
public sealed interface BrokerMessage extends Message permits Xcert, Xpub, Xsub, Xnotify, Xreg {
}
