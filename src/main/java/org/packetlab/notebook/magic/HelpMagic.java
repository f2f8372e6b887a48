package org.packetlab.notebook.magic;

import java.util.ArrayList;
import java.util.List;

/** {@code %pktlab help [NAME]}: lists the sub-magics and {@code %%mlet} with one line each, or one of them. */
final class HelpMagic implements PktlabMagic {

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "list the %pktlab magics and %%mlet with one line each (or just NAME)";
    }

    @Override
    public String arguments() {
        return "[NAME]";
    }

    @Override
    public MagicHelp run(MagicContext context, List<String> args, String cellBody) {
        if (args.size() > 1) {
            throw new MagicUsageException("help: expected at most one NAME, got " + args.size() + " words");
        }
        List<MagicHelp.Entry> all = new ArrayList<>();
        context.magics().forEach(m -> all.add(MagicHelp.Entry.subMagic(m.name(), m.arguments(), m.summary())));
        all.add(MletMagic.HELP);
        List<MagicHelp.Entry> entries = all.stream().filter(e -> args.isEmpty() || e.name().equals(args.get(0))).toList();
        if (entries.isEmpty()) {
            throw new MagicUsageException("help: no %" + PktlabMagics.NAME + " magic named '" + args.get(0) + "'");
        }
        return new MagicHelp(entries);
    }
}
