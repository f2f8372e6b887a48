package org.packetlab.manager;

import java.net.InetSocketAddress;

/**
 * How endpoint connections reach the manager (spec/agents.md §A.2 "greeting"): accepted on a
 * listening socket in passive mode ({@link ListenGreeter}), or in active mode over backlog
 * connections registered with a proxy (§A.7, a later release). Either way each connection is
 * admitted by the current run ({@link Manager#admit}) and gets the pipeline of
 * {@link ManagerInitializer}.
 */
interface Greeter {

    /** Takes new endpoint connections ({@code true}) or leaves them waiting ({@code false}). Thread-safe. */
    void greet(boolean open);

    /** Where endpoints reach the manager. */
    InetSocketAddress address();

    /** Whether it still holds its socket(s). */
    boolean isOpen();

    /** Stops greeting and releases its socket(s); returns when they are closed. */
    void close();
}
