package org.packetlab.proxy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time a setup connection has to become an idle backlog connection (TLS, {@code xreg},
 * close_notify and both preambles). Passed from handler to handler; each says which phase it is
 * in, so that the log line says where the manager stalled.
 */
final class RegistrationDeadline {
    private static final Logger log = LoggerFactory.getLogger(RegistrationDeadline.class);

    private final ScheduledFuture<?> timer;
    private volatile String phase = "TLS handshake";

    private RegistrationDeadline(Channel ch, Duration timeout) {
        timer = ch.eventLoop().schedule(() -> {
            if (ch.isActive()) {
                log.info("refused manager {}: registration not finished within {} ms (waiting for {})",
                        ch.remoteAddress(), timeout.toMillis(), phase);
                ch.close();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> timer.cancel(false));
    }

    /** Starts the clock for {@code ch}; closing the channel stops it. */
    static RegistrationDeadline start(Channel ch, Duration timeout) {
        return new RegistrationDeadline(ch, timeout);
    }

    /** What the connection waits for now. */
    void phase(String waitingFor) {
        phase = waitingFor;
    }

    /** The connection is registered: no more deadline. */
    void met() {
        timer.cancel(false);
    }
}
