package org.packetlab.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.packetlab.mlet.EndpointSession;
import org.packetlab.mlet.EndpointSessions;
import org.packetlab.mlet.ScriptedTransport;
import org.packetlab.wire.Message;
import org.packetlab.wire.WireCodec;

/**
 * A recorded reference session (src/test/resources/vectors/NAME/mlet_leg.*) replayed to an mlet:
 * the endpoint side answers from the recording, and what the mlet sent can be compared with what
 * the reference mlet sent.
 */
final class ReferenceSessions implements AutoCloseable {

    private final String name;
    private final ScriptedTransport transport;
    final EndpointSession ep;

    ReferenceSessions(String name) throws Exception {
        this.name = name;
        List<Message> endpointSide = WireCodec.decodeAll(resource("mlet_leg.xpmgr2mlet.bin"));
        transport = ScriptedTransport.answering(ScriptedTransport.replay(endpointSide));
        ep = transport.open(EndpointSessions.defaults());
    }

    /** The bytes of the vector file {@code file}. */
    byte[] resource(String file) {
        String path = "/vectors/" + name + "/" + file;
        try (InputStream in = ReferenceSessions.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the mlet sent, encoded as on the mlet link. */
    byte[] sentBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        transport.sent().forEach(m -> out.writeBytes(WireCodec.encode(m)));
        return out.toByteArray();
    }

    /** Waits until every recorded message has reached the session; rethrows a failure of its sink. */
    void drain() throws Exception {
        transport.drain();
    }

    @Override
    public void close() {
        transport.close();
    }
}
