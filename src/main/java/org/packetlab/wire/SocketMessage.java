package org.packetlab.wire;

/** A message about one endpoint socket, named by its {@code sktid} (0-255; spec/wire-protocol.md §8.1). */
public sealed interface SocketMessage extends Message
        permits Nopen, Nclose, Nsend, Ncap, Nctl, Ntag, Nstat, Ndata, Ndrop, Nblock {

    /** The socket id (0-255). */
    int sktid();
}
