package org.packetlab.wire;

/**
 * An unsolicited message (type codes 0x60-0x7F): it may arrive between any two responses and is
 * never matched to a request (spec/wire-protocol.md §12.2).
 */
public sealed interface Notification extends Message
        permits Ntag, Nstat, Ndata, Ndrop, Nblock, Linfo, Suspd, Resumd, Xnotify {
}
