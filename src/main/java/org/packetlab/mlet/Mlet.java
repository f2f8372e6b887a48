package org.packetlab.mlet;

/**
 * An mlet: experiment code that measures through one endpoint at a time. The experiment manager
 * runs it once per endpoint session, each on its own virtual thread, and records what it returns
 * (or throws) as that endpoint's result.
 *
 * <pre>{@code
 * Mlet<Duration> rtt = ep -> {
 *     try (UdpSocket s = ep.udp("127.0.0.1", 53)) {
 *         Sent sent = s.send(query);
 *         return Duration.between(sent.sentAt(), s.receive().time());
 *     }
 * };
 * }</pre>
 *
 * <p>Blocking calls on {@link EndpointSession} and its sockets time out (see
 * {@link EndpointSession#timeout()}) and give up promptly when the thread is interrupted.
 *
 * @param <T> what one run produces for one endpoint
 */
@FunctionalInterface
public interface Mlet<T> {

    /** Runs the experiment against one endpoint; an exception becomes that endpoint's error. */
    T run(EndpointSession ep) throws Exception;

    /**
     * The mlet named on a command line, made from its words: {@code name} is a class name, a simple
     * name of the example mlets ({@code HttpGet} for {@code org.packetlab.examples.HttpGet}), or a
     * {@code .java} file of the example tree. The class offers {@code static Mlet<?> fromArgs(String...)},
     * or implements {@code Mlet} with a {@code (String[])} or, for no words, a no-argument constructor.
     *
     * @throws IllegalArgumentException when there is no such mlet or it refuses the words (the message says why)
     */
    static Mlet<?> load(String name, String... args) {
        return MletLoader.load(name, args);
    }
}
