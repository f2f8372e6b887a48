package org.packetlab.manager;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.packetlab.wire.Linfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs {@code linfo} from endpoints, which the manager consumes (spec/agents.md §A.4.4): name, aux and info as hex and as text. */
final class LinfoLog {
    private static final Logger log = LoggerFactory.getLogger(LinfoLog.class);
    /** Bytes of info shown; a monitor may send up to 64 KiB. */
    private static final int SHOWN = 256;

    private LinfoLog() {}

    static void log(EndpointRef endpoint, Linfo linfo) {
        if (!log.isInfoEnabled()) {
            return;
        }
        byte[] info = linfo.info();
        int n = Math.min(info.length, SHOWN);
        String more = info.length > n ? "... (" + info.length + " bytes)" : "";
        log.info("endpoint {} linfo name={} aux={} info={}{} \"{}\"{}", endpoint, printable(linfo.name()),
                HexFormat.of().formatHex(linfo.aux()), HexFormat.of().formatHex(info, 0, n), more,
                printable(new String(info, 0, n, StandardCharsets.ISO_8859_1)), more);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.chars().forEach(c -> sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.'));
        return sb.toString();
    }
}
