package org.packetlab.notebook.magic;

import java.util.List;
import java.util.Set;

/** {@code %pktlab results}: the last run's results, a {@code Results} value ({@code var r = %pktlab results}). */
final class ResultsMagic implements PktlabMagic {

    @Override
    public String name() {
        return "results";
    }

    @Override
    public String summary() {
        return "the last run's results as a value: var r = %pktlab results (Java: the value lab.run(...) returned)";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) {
        MagicArgs.parse("results", words, Set.of(), Set.of(), false).positionalCount(0, 0, "");
        return MagicSession.of(context).lastResults()
                .orElseThrow(() -> new MagicUsageException("results: nothing has run yet; %pktlab run MLET first"));
    }
}
