package org.packetlab.bench;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.endpoint.Endpoint;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.wire.Snikey;

/**
 * The endpoints of the concurrent-session figure, in a child JVM ({@link ChildJvm}) so that the
 * manager's process holds only its own end of each connection. N endpoints with the credentials of
 * a home's {@code endpt.conf} (host ids {@code ep1..epN}) share two event loops; each connects for
 * one session when the parent says so, which lets the parent keep a bounded number of set-ups in
 * flight instead of N handshakes racing each other into their timeouts.
 *
 * <p>Protocol (one line each): the child prints {@code ready} once every endpoint is built; then
 * {@code target HOST PORT} names the manager of the next round (endpoints start again from the
 * first), {@code connect K} starts K more endpoints of the round; the end of its standard input
 * closes everything.
 */
final class EndpointFleet {
    /** Generous limits: the parent decides how many connect at once, so these only catch real failures. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private EndpointFleet() {}

    /** Arguments: home directory, endpoint count. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: EndpointFleet HOME N");
        }
        PktlabHome home = PktlabHome.at(Path.of(args[0]));
        int n = Integer.parseInt(args[1]);
        EndptConf conf = home.endptConf().config();
        Optional<Snikey> snikey = conf.noSubModeSniKey();
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("pktlab-fleet", true),
                NioIoHandler.newFactory());
        Endpoint.Builder template = Endpoint.builder(conf, Ed25519PrivateKey.read(conf.endpointPrivKey()))
                .eventLoopGroup(loops)
                .handshakeTimeout(PATIENCE)
                .setupTimeout(PATIENCE)
                .giveUpAfter(PATIENCE);
        List<Endpoint> endpoints = new ArrayList<>(n);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try {
            for (int i = 1; i <= n; i++) {
                endpoints.add(template.hostId("ep" + i).build());
            }
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            InetSocketAddress manager = null;
            int started = 0;
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "target" -> {
                        manager = new InetSocketAddress(words[1], Integer.parseInt(words[2]));
                        started = 0;
                    }
                    case "connect" -> {
                        if (manager == null) {
                            throw new IOException("connect before target");
                        }
                        int k = Integer.parseInt(words[1]);
                        for (int i = 0; i < k && started < n; i++) {
                            endpoints.get(started++).connect(manager, snikey);
                        }
                    }
                    default -> throw new IOException("unknown command \"" + line + "\"");
                }
            }
        } finally {
            endpoints.forEach(Endpoint::close);
            loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }
}
