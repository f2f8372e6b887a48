package org.packetlab.manager;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.packetlab.mlet.SessionSink;
import org.packetlab.mlet.SessionTransport;
import org.packetlab.wire.Message;

/**
 * A test {@link MletHost}: runs a script per session on a virtual thread against a minimal blocking
 * session over the seam (send, then take the next message), as the Java mlet host does with the
 * real session client.
 */
final class ScriptHost<T> implements MletHost<T> {

    interface Script<T> {
        T run(Session s) throws Exception;
    }

    /** The seam as a script sees it. */
    static final class Session implements SessionSink {
        private static final Object CLOSED = new Object();
        final SessionTransport transport;
        final String hostId;
        private final BlockingQueue<Object> inbound = new LinkedBlockingQueue<>();
        private volatile Throwable closedBy;

        Session(SessionTransport transport, String hostId) {
            this.transport = transport;
            this.hostId = hostId;
        }

        @Override
        public void onMessage(Message m) {
            inbound.add(m);
        }

        @Override
        public void onClosed(Throwable cause) {
            closedBy = cause;
            inbound.add(CLOSED);
        }

        /** Sends {@code request} and returns the next message. */
        Message call(Message request) throws IOException, InterruptedException {
            transport.send(request);
            return next();
        }

        Message next() throws IOException, InterruptedException {
            Object o = inbound.poll(FakeEndpoint.WAIT_SECONDS, TimeUnit.SECONDS);
            if (o == null) {
                throw new IOException("no answer within " + FakeEndpoint.WAIT_SECONDS + " s");
            }
            if (o == CLOSED) {
                inbound.add(CLOSED);
                throw new IOException("session closed", closedBy);
            }
            return (Message) o;
        }
    }

    private final Script<T> script;

    ScriptHost(Script<T> script) {
        this.script = script;
    }

    @Override
    public SessionSink open(HostedSession<T> hosted) {
        Session s = new Session(hosted.transport(), hosted.hostId());
        Thread t = Thread.ofVirtual().name("script " + hosted.endpoint()).unstarted(() -> {
            try {
                hosted.finished(script.run(s));
            } catch (Throwable e) {
                hosted.failed(e);
            }
        });
        hosted.onCancel(t::interrupt);
        t.start();
        return s;
    }
}
