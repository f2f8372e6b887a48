package org.packetlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.packetlab.wire.MessageReader;
import org.packetlab.wire.WireCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pktlab demo}, interim form: until the embedded lab exists it prints the reference HTTP GET
 * session as recorded on its TLS leg, decoded in both directions.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show a PacketLab session (for now: the decoded reference HTTP GET session).")
final class DemoCommand implements Callable<Integer> {

    private static final String[][] LEGS = {
            {"manager -> endpoint", "tls_leg.xpmgr2endpt.bin"},
            {"endpoint -> manager", "tls_leg.endpt2xpmgr.bin"},
    };

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        out.println("PacketLab demo (interim): the reference 1.1.0 HTTP GET session (test_http_get 127.0.0.1 /index.html),"
                + " TLS leg, decoded message by message.");
        for (String[] leg : LEGS) {
            out.println();
            out.println("# " + leg[0]);
            try (InputStream in = DemoCommand.class.getResourceAsStream(leg[1])) {
                if (in == null) {
                    throw new IOException("recording " + leg[1] + " is missing from the jar");
                }
                DecodeCommand.print(new MessageReader(in, WireCodec.MAX_BODY), out, false);
            }
        }
        out.flush();
        return 0;
    }
}
