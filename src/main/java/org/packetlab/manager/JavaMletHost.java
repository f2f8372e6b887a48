package org.packetlab.manager;

import org.packetlab.mlet.EndpointSessions;
import org.packetlab.mlet.Mlet;
import org.packetlab.mlet.SessionSink;

/**
 * Serves each session with a Java {@link Mlet} on its own virtual thread, against an
 * {@link org.packetlab.mlet.EndpointSession} built over the manager's transport. Cancelling the
 * session interrupts the thread.
 */
final class JavaMletHost<T> implements MletHost<T> {

    private final Mlet<T> mlet;
    private final EndpointSessions sessions;

    JavaMletHost(Mlet<T> mlet, EndpointSessions sessions) {
        this.mlet = mlet;
        this.sessions = sessions;
    }

    @Override
    public SessionSink open(HostedSession<T> hosted) {
        EndpointSessions.Opened opened = sessions.open(hosted.transport());
        Thread thread = Thread.ofVirtual().name("mlet " + hosted.endpoint()).unstarted(() -> {
            T value;
            try {
                value = mlet.run(opened.session());
            } catch (Throwable e) {
                // whatever the mlet throws (an Error too: a StackOverflowError in experiment code)
                // is that endpoint's result and must not reach the thread's uncaught handler
                hosted.failed(e);
                return;
            }
            hosted.finished(value);
        });
        hosted.onCancel(thread::interrupt);
        thread.start();
        return opened.sink();
    }
}
