package org.packetlab.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.packetlab.ppks.Cert;

/**
 * One endpoint connected to one {@link TestController} over real TLS on loopback: fresh
 * credentials, the controller chain shaped by the test, the endpoint shaped by the test. Closing
 * it ends the session and proves that no measurement channel is left open.
 */
final class Harness implements AutoCloseable {
    final Credentials creds = new Credentials();
    final TestController controller;
    final Endpoint endpoint;
    final CompletableFuture<SessionOutcome> outcome;
    final TestController.Conn conn;

    private Harness(EventLoopGroup group, UnaryOperator<Endpoint.Builder> endpointShape, UnaryOperator<Cert.Builder> limits)
            throws Exception {
        controller = TestController.start(group, creds.controller, creds.controllerChain(limits), List.of(creds.eopPublic()));
        endpoint = endpointShape.apply(endpointBuilder(creds, group)).build();
        outcome = endpoint.connect(controller.address(), Optional.empty());
        conn = controller.accept();
    }

    /** An endpoint in setup phase, without certificate limits. */
    static Harness setup(EventLoopGroup group) throws Exception {
        return new Harness(group, b -> b, b -> b);
    }

    static Harness setup(EventLoopGroup group, UnaryOperator<Endpoint.Builder> endpoint, UnaryOperator<Cert.Builder> limits) throws Exception {
        return new Harness(group, endpoint, limits);
    }

    /** A running session (start done), without certificate limits. */
    static Harness running(EventLoopGroup group) throws Exception {
        return running(group, b -> b, b -> b);
    }

    static Harness running(EventLoopGroup group, UnaryOperator<Endpoint.Builder> endpoint, UnaryOperator<Cert.Builder> limits) throws Exception {
        Harness h = new Harness(group, endpoint, limits);
        h.conn.start();
        return h;
    }

    /** The endpoint every harness uses: loopback addresses of both families, a resolver of each, host id "ep-test". */
    static Endpoint.Builder endpointBuilder(Credentials creds, EventLoopGroup group) {
        return Endpoint.builder().privateKey(creds.endpoint).chain(List.of(creds.subcmd)).trustedRoots(List.of(creds.eopPublic()))
                .localAddress("127.0.0.1/8").localAddress("::1").dnsResolver("127.0.0.53").dnsResolver("::1")
                .hostId("ep-test").eventLoopGroup(group);
    }

    /** A shared group for one test class. */
    static EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    /** The session's outcome (waits for it). */
    SessionOutcome awaitOutcome() throws Exception {
        return outcome.get(TestController.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        conn.close();
        awaitOutcome();
        assertThat(endpoint.openMeasurementChannels()).as("measurement channels left open").isZero();
        endpoint.close();
        controller.close();
    }
}
