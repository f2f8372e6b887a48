package org.packetlab.notebook.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.packetlab.config.AgentAddress;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.lab.Lab;
import org.packetlab.manager.Manager;
import org.packetlab.proxy.Proxy;

/**
 * {@code %pktlab proxy [--address A:P] [--home DIR] [--hostid GLOB] [-n N]}: starts the home's
 * experiment manager in proxy mode (spec/agents.md §A.7), registered with the proxy at {@code A:P},
 * or with the running lab's proxy ({@code %pktlab lab start --proxy}); {@code %pktlab run} then runs
 * on the endpoints that reach it through the proxy (the lab's, when a lab runs). The configuration
 * is the home's {@code xpmgr.proxy.conf} (else {@code xpmgr.conf}). Java:
 * {@code Manager.builder().config(conf).proxy(AgentAddress.parse(A)).attempts(n).build()}.
 */
final class ProxyMagic implements PktlabMagic {

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String summary() {
        return "start the home's manager in proxy mode, registered with the lab's proxy or the one at A:P"
                + " (Java: Manager.builder().config(conf).proxy(A).build())";
    }

    @Override
    public String arguments() {
        return "[--address A:P] [--home DIR] [--hostid GLOB] [-n N]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("proxy", words, Set.of("--address", "--home", "--hostid", "-n"), Set.of(), false)
                .positionalCount(0, 0, "");
        MagicSession session = MagicSession.of(context);
        if (session.manager().isPresent()) {
            throw new MagicUsageException("proxy: a manager is already running; %pktlab stop first");
        }
        Lab lab = session.lab().orElse(null);
        AgentAddress proxy;
        if (args.option("--address").isPresent()) {
            try {
                proxy = AgentAddress.parse(args.option("--address").get());
            } catch (IllegalArgumentException e) {
                throw new MagicUsageException("proxy: bad --address: " + e.getMessage());
            }
        } else if (lab != null && lab.proxy().isPresent()) {
            Proxy p = lab.proxy().get();
            proxy = AgentAddress.of(p.setupAddress().getAddress().getHostAddress(), p.setupAddress().getPort());
        } else {
            throw new MagicUsageException("proxy: which proxy? --address A:P, or a lab with one: %pktlab lab start --proxy");
        }
        PktlabHome home = session.initializedHome(args);
        int attempts = args.intOption("-n", lab != null ? lab.endpointCount() : 1, 1, Integer.MAX_VALUE);
        Path confFile = Files.exists(home.xpmgrProxyConfFile()) ? home.xpmgrProxyConfFile() : home.xpmgrConfFile();
        Manager.Builder builder = Manager.builder().config(XpmgrConf.load(confFile).config()).proxy(proxy).attempts(attempts);
        args.option("--hostid").ifPresent(builder::hostId);
        Manager manager = builder.build();
        session.manager(manager);
        return "manager in proxy mode, registered with the proxy at " + proxy + " for " + attempts
                + (attempts == 1 ? " endpoint" : " endpoints") + "; snikeys "
                + manager.identities().stream().map(id -> id.snikey().value()).collect(Collectors.joining(", "));
    }
}
