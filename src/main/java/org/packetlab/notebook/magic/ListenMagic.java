package org.packetlab.notebook.magic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.manager.Manager;

/**
 * {@code %pktlab listen [--address A:P] [--publish A:P] [--home DIR] [--hostid GLOB] [-n N]}: starts the home's
 * experiment manager in listen mode; {@code %pktlab run} then runs on the endpoints that connect.
 * Java: {@code Manager.builder().config(home.xpmgrConf().config()).listen(a).hostId(g).attempts(n).build()}.
 */
final class ListenMagic implements PktlabMagic {

    @Override
    public String name() {
        return "listen";
    }

    @Override
    public String summary() {
        return "start the home's manager in listen mode for %pktlab run (Java: Manager.builder().config(conf).listen(A).build())";
    }

    @Override
    public String arguments() {
        return "[--address A:P] [--publish A:P] [--home DIR] [--hostid GLOB] [-n N]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("listen", words, Set.of("--address", "--publish", "--home", "--hostid", "-n"), Set.of(), false)
                .positionalCount(0, 0, "");
        MagicSession session = MagicSession.of(context);
        if (session.manager().isPresent() || session.lab().isPresent()) {
            throw new MagicUsageException("listen: a lab or manager is already running; %pktlab stop first");
        }
        int attempts = args.intOption("-n", 1, 1, Integer.MAX_VALUE);
        InetSocketAddress address = address(args.option("--address").orElse("127.0.0.1:" + Manager.DEFAULT_PORT));
        PktlabHome home = session.initializedHome(args);
        Manager.Builder builder = Manager.builder().config(home.xpmgrConf().config()).listen(address).attempts(attempts);
        args.option("--hostid").ifPresent(builder::hostId);
        if (args.option("--publish").isPresent()) {
            try {
                builder.publicationAddress(AgentAddress.parse(args.option("--publish").get()));
            } catch (IllegalArgumentException e) {
                throw new MagicUsageException("listen: bad --publish: " + e.getMessage());
            }
        }
        Manager manager = builder.build();
        session.manager(manager);
        return "manager listening on " + manager.boundAddress() + " for " + attempts + (attempts == 1 ? " endpoint" : " endpoints");
    }

    /** {@code HOST:PORT} (IPv6 in brackets) as a socket address. */
    private static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new MagicUsageException("listen: --address wants HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new MagicUsageException("listen: --address wants HOST:PORT, got '" + text + "'");
        }
        if (port < 0 || port > 65535) {
            throw new MagicUsageException("listen: port must be between 0 and 65535, got " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new MagicUsageException("listen: bad --address: " + e.getMessage());
        }
    }
}
