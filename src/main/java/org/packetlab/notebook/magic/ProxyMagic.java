package org.packetlab.notebook.magic;

import java.util.List;

/** {@code %pktlab proxy ...}: the manager's proxy mode is not offered from a notebook yet; says so. */
final class ProxyMagic implements PktlabMagic {

    @Override
    public String name() {
        return "proxy";
    }

    @Override
    public String summary() {
        return "start the manager in proxy mode: not yet available from a notebook";
    }

    @Override
    public String arguments() {
        return "...";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) {
        throw new MagicUsageException("proxy: the manager's proxy mode is not available from a notebook yet;"
                + " use %pktlab listen or %pktlab lab start");
    }
}
