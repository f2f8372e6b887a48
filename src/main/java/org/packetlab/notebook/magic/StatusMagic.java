package org.packetlab.notebook.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.packetlab.config.HomeStatus;
import org.packetlab.config.PktlabHome;
import org.packetlab.results.Table;

/**
 * {@code %pktlab status [--home DIR]}: the home's keys, certificates (with validity) and privileges
 * as a table. Java: {@code PktlabHome.at(dir).status()}.
 */
final class StatusMagic implements PktlabMagic {

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "table of the home's keys, certificates with validity, and privileges (Java: home.status())";
    }

    @Override
    public String arguments() {
        return "[--home DIR]";
    }

    @Override
    public Object run(MagicContext context, List<String> words, String cellBody) {
        MagicArgs args = MagicArgs.parse("status", words, Set.of("--home"), Set.of(), false).positionalCount(0, 0, "");
        PktlabHome home = MagicSession.of(context).initializedHome(args);
        return table(home.dir().toString(), home.status());
    }

    /** One row per item: kind, name, key id, certificate type, validity, state. */
    static Table table(String caption, List<HomeStatus> items) {
        List<List<String>> rows = new ArrayList<>();
        for (HomeStatus s : items) {
            rows.add(List.of(s.kind().label(), s.name(), s.keyId().map(Object::toString).orElse(""),
                    s.certType().map(Object::toString).orElse(""), s.validFrom().map(Object::toString).orElse(""),
                    s.validUntil().map(Object::toString).orElse(""), s.ok() ? "ok" : String.join("; ", s.problems())));
        }
        return new Table(caption, List.of("kind", "name", "key id", "type", "valid from", "valid until", "state"), rows);
    }
}
