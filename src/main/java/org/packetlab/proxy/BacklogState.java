package org.packetlab.proxy;

/**
 * The states of a manager's backlog connection (spec/agents.md §A.7.3). Each but {@link #DONE} must
 * be left within the backlog connection timeout.
 */
enum BacklogState {
    TCP_CONNECT, TLS_HANDSHAKE, XREG_SEND, RESULT_RECV, PREAMBLE_RECV, PREAMBLE_SEND, DONE
}
