package org.packetlab.notebook.magic;

import java.util.List;
import java.util.Set;

/** {@code %pktlab stop}: stops the lab and the manager (listening or in proxy mode) the magics started ({@code lab.close(); manager.close();}). */
final class StopMagic implements PktlabMagic {

    @Override
    public String name() {
        return "stop";
    }

    @Override
    public String summary() {
        return "stop the lab and the manager started here (Java: lab.close(), manager.close())";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) {
        MagicArgs.parse("stop", words, Set.of(), Set.of(), false).positionalCount(0, 0, "");
        return MagicSession.of(context).stopAll();
    }
}
