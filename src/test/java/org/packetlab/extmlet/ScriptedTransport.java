package org.packetlab.extmlet;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.packetlab.mlet.SessionSink;
import org.packetlab.mlet.SessionTransport;
import org.packetlab.wire.Message;
import org.packetlab.wire.Result;

/**
 * An endpoint session in memory: what the relay sends is recorded, and a script answers each
 * message through the session's sink, from one thread, as a manager's event loop would. Closing
 * it reports a clean end to the sink, as the manager does.
 */
final class ScriptedTransport implements SessionTransport, AutoCloseable {

    private final InetSocketAddress remote;
    private final Function<Message, List<Message>> script;
    private final CompletableFuture<SessionSink> sink = new CompletableFuture<>();
    private final ExecutorService endpoint = Executors.newSingleThreadExecutor(r -> new Thread(r, "scripted-endpoint"));
    private final AtomicBoolean closing = new AtomicBoolean();
    final BlockingQueue<Message> sent = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);

    ScriptedTransport(InetSocketAddress remote, Function<Message, List<Message>> script) {
        this.remote = remote;
        this.script = script;
    }

    /** An endpoint at 127.0.0.1 answering every request with {@code script}. */
    static ScriptedTransport answering(Function<Message, List<Message>> script) {
        return new ScriptedTransport(new InetSocketAddress("127.0.0.1", 40000), script);
    }

    /** An endpoint at 127.0.0.1 that answers nothing. */
    static ScriptedTransport silent() {
        return answering(m -> List.of());
    }

    /**
     * Replays the manager→mlet leg of a reference recording: request i is answered with the i-th
     * response and the notifications that followed it.
     */
    static Function<Message, List<Message>> replay(List<Message> toMlet) {
        List<List<Message>> groups = new ArrayList<>();
        for (Message m : toMlet) {
            if (m instanceof Result || groups.isEmpty()) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(m);
        }
        int[] next = {0};
        return m -> next[0] < groups.size() ? groups.get(next[0]++) : List.of();
    }

    /** Starts feeding {@code s} (the session's sink). */
    ScriptedTransport attach(ExternalSession s) {
        sink.complete(s.sink());
        return this;
    }

    /** Delivers {@code m} to the session as if the endpoint had sent it. */
    void deliver(Message m) {
        endpoint.execute(() -> sink.join().onMessage(m));
    }

    /** Ends the session from the endpoint's side. */
    void endpointCloses(Throwable cause) {
        if (closing.compareAndSet(false, true)) {
            endpoint.execute(() -> {
                closed.countDown();
                sink.join().onClosed(cause);
            });
        }
    }

    @Override
    public void send(Message m) {
        sent.add(m);
        if (!closing.get()) {
            endpoint.execute(() -> script.apply(m).forEach(sink.join()::onMessage));
        }
    }

    @Override
    public void close() {
        endpointCloses(null);
        endpoint.shutdown();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Waits for the session to be closed by the relay. */
    boolean awaitClosed() throws InterruptedException {
        return closed.await(10, TimeUnit.SECONDS);
    }
}
