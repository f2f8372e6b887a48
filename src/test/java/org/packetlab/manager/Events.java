package org.packetlab.manager;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;

/** A run listener that records every callback as one line, in order. */
final class Events<T> implements RunListener<T> {
    final List<String> lines = new CopyOnWriteArrayList<>();

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    /** Waits until a callback line starting with {@code prefix} was recorded, and returns it. */
    synchronized String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FakeEndpoint.WAIT_SECONDS);
        while (true) {
            for (String l : lines) {
                if (l.startsWith(prefix)) {
                    return l;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no event \"" + prefix + "...\" within " + FakeEndpoint.WAIT_SECONDS + " s; got " + lines);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    @Override
    public void endpointConnected(EndpointRef endpoint) {
        add("connected #" + endpoint.id());
    }

    @Override
    public void endpointRefused(EndpointRef endpoint, EndpointResult<? extends T> result) {
        add("refused #" + endpoint.id() + " " + result.status() + ": " + result.error());
    }

    @Override
    public void sessionStarted(EndpointRef endpoint, String hostId) {
        add("started #" + endpoint.id() + " " + hostId);
    }

    @Override
    public void mletFinished(EndpointRef endpoint, EndpointResult<? extends T> result) {
        add("finished #" + endpoint.id() + " " + result.status());
    }

    @Override
    public void sessionFailed(EndpointRef endpoint, EndpointResult<? extends T> result) {
        add("failed #" + endpoint.id() + " " + result.status() + ": " + result.error());
    }

    @Override
    public void notice(String text) {
        add("notice " + text);
    }

    @Override
    public void runFinished(Results<? extends T> results) {
        add("run finished: " + results.summary().replaceAll(" \\(median.*", ""));
    }
}
