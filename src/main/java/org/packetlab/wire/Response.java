package org.packetlab.wire;

/** A response to a request: {@code result} or {@code mdata} (type codes 0x40-0x5F; spec/wire-protocol.md §12.2). */
public sealed interface Response extends Message permits Result, Mdata {
}
