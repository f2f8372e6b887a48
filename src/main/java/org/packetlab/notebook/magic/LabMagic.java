package org.packetlab.notebook.magic;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.packetlab.lab.Lab;

/**
 * {@code %pktlab lab start [--endpoints N] [--home DIR] [--broker] [--proxy]} / {@code %pktlab lab stop}: an embedded local
 * lab, in Java {@code Lab lab = Lab.local().endpoints(N).start();} and {@code lab.close();}. With {@code --broker}
 * the manager publishes each run at an embedded broker and the endpoints subscribe ({@code .broker()});
 * with {@code --proxy} the manager is in proxy mode behind an embedded proxy ({@code .proxy()}).
 */
final class LabMagic implements PktlabMagic {

    @Override
    public String name() {
        return "lab";
    }

    @Override
    public String summary() {
        return "start or stop an embedded local lab (Java: Lab.local().endpoints(N).start(), lab.close())";
    }

    @Override
    public String arguments() {
        return "start [--endpoints N] [--home DIR] [--broker] [--proxy] | stop";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) throws Exception {
        MagicArgs args = MagicArgs.parse("lab", words, Set.of("--endpoints", "--home"), Set.of("--broker", "--proxy"), false)
                .positionalCount(1, 1, "start or stop");
        MagicSession session = MagicSession.of(context);
        switch (args.positional().get(0)) {
            case "start" -> {
                int n = args.intOption("--endpoints", 1, 1, Lab.MAX_ENDPOINTS);
                if (session.lab().isPresent()) {
                    throw new MagicUsageException("lab: a lab is already running; %pktlab lab stop first");
                }
                Lab.Builder builder = Lab.local().endpoints(n);
                args.option("--home").map(Path::of).ifPresent(builder::home);
                if (args.flag("--broker")) {
                    builder.broker();
                }
                if (args.flag("--proxy")) {
                    builder.proxy();
                }
                Lab lab = builder.start();
                session.lab(lab);
                return lab;
            }
            case "stop" -> {
                if (args.option("--endpoints").isPresent() || args.option("--home").isPresent() || args.flag("--broker")
                        || args.flag("--proxy")) {
                    throw new MagicUsageException("lab: stop takes no options");
                }
                Lab lab = session.lab().orElseThrow(() -> new MagicUsageException("lab: no lab is running"));
                session.lab(null);
                lab.close();
                return "lab stopped";
            }
            default -> throw new MagicUsageException("lab: expected start or stop, got '" + args.positional().get(0) + "'");
        }
    }
}
