package org.packetlab.mlet;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.packetlab.wire.Message;
import org.packetlab.wire.Response;

/**
 * An in-memory {@link SessionTransport} that plays the endpoint: a script answers each message the
 * session sends, and the answers reach the session's sink on a separate thread, as the manager's
 * event loop would deliver them. Test code, shared by the mlet and example tests.
 */
public final class ScriptedTransport implements SessionTransport, AutoCloseable {

    private final InetSocketAddress remote;
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "scripted-endpoint-loop"));
    private final List<Message> sent = Collections.synchronizedList(new ArrayList<>());
    private final LinkedBlockingQueue<Message> sentQueue = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Throwable> loopFailure = new AtomicReference<>();
    private volatile Function<Message, List<Message>> script = m -> List.of();
    private volatile SessionSink sink;

    public ScriptedTransport(InetSocketAddress remote) {
        this.remote = remote;
    }

    /** A transport for an endpoint at 127.0.0.1 whose answers come from {@code script}. */
    public static ScriptedTransport answering(Function<Message, List<Message>> script) {
        ScriptedTransport t = new ScriptedTransport(new InetSocketAddress("127.0.0.1", 40000));
        t.script = script;
        return t;
    }

    /** Opens an endpoint session over this transport with {@code sessions} and attaches its sink. */
    public EndpointSession open(EndpointSessions sessions) {
        EndpointSessions.Opened opened = sessions.open(this);
        sink = opened.sink();
        return opened.session();
    }

    public void script(Function<Message, List<Message>> script) {
        this.script = Objects.requireNonNull(script);
    }

    @Override
    public void send(Message m) {
        if (closed.get()) {
            return;
        }
        sent.add(m);
        sentQueue.add(m);
        List<Message> answers = script.apply(m);
        deliver(answers.toArray(Message[]::new));
    }

    /** Delivers {@code messages} to the sink, in order, on the loop thread. */
    public void deliver(Message... messages) {
        List<Message> copy = List.of(messages);
        loop.execute(() -> {
            try {
                copy.forEach(sink::onMessage);
            } catch (Throwable t) {
                loopFailure.compareAndSet(null, t);
                throw t;
            }
        });
    }

    /** Reports the end of the session to the sink, on the loop thread. */
    public void end(Throwable cause) {
        loop.execute(() -> sink.onClosed(cause));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            end(null);
        }
        loop.shutdown();
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Everything the session sent so far. */
    public List<Message> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /** The next message the session sends, waiting up to 5 seconds. */
    public Message nextSent() throws InterruptedException {
        Message m = sentQueue.poll(5, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("the session sent nothing within 5 s");
        }
        return m;
    }

    /** Waits until every delivery queued so far has reached the sink; rethrows a failure of the sink. */
    public void drain() throws Exception {
        try {
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the loop finishes what was queued before it stops
            loop.awaitTermination(5, TimeUnit.SECONDS);
        }
        Throwable t = loopFailure.get();
        if (t != null) {
            throw new AssertionError("the sink threw on the event loop", t);
        }
    }

    /**
     * A script replaying a recorded endpoint stream: each request gets the recording up to and
     * including its response, followed by the notifications that arrived before the next response.
     */
    public static Function<Message, List<Message>> replay(List<Message> recorded) {
        List<List<Message>> batches = new ArrayList<>();
        List<Message> current = new ArrayList<>();
        boolean answered = false;
        for (Message m : recorded) {
            if (m instanceof Response && answered) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.add(m);
            answered |= m instanceof Response;
        }
        batches.add(current);
        AtomicInteger next = new AtomicInteger();
        return m -> {
            int i = next.getAndIncrement();
            if (i >= batches.size()) {
                throw new AssertionError("request " + i + " (" + m + ") is beyond the recording");
            }
            return batches.get(i);
        };
    }
}
