package org.packetlab.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decodes the reference recordings (both legs, both directions, both sessions) and checks every
 * field the reference printed in the {@code .decoded.txt} files, then re-encodes to the same bytes.
 */
@Timeout(10)
class ReferenceVectorsTest {

    private static final Pattern HEAD = Pattern.compile("^\\[(\\w+) #(\\d+) @(\\d+)] (.*)$");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"(?:\\.\\.\\.)?|\\S+)");

    /** One message line of a {@code .decoded.txt}: its fields in printed order and its hex. */
    record Printed(String direction, int index, int offset, List<String[]> fields, String hex) {}

    static Stream<String> streams() {
        List<String> out = new ArrayList<>();
        for (String session : List.of("session-http-get", "session-dns")) {
            for (String s : List.of("mlet_leg.mlet2xpmgr", "mlet_leg.xpmgr2mlet", "tls_leg.xpmgr2endpt", "tls_leg.endpt2xpmgr")) {
                out.add(session + "/" + s);
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everyMessageDecodesWithThePrintedFieldsAndReencodesToTheSameBytes(String stream) throws Exception {
        byte[] bytes = resource(stream + ".bin");
        String leg = stream.substring(0, stream.indexOf('.'));
        String direction = stream.substring(stream.indexOf('.') + 1).replace(leg.substring(leg.indexOf('/') + 1) + ".", "");
        List<Printed> printed = printed(leg + ".decoded.txt", direction);
        List<Message> messages = WireCodec.decodeAll(bytes);

        assertThat(messages).hasSameSizeAs(printed).isNotEmpty();
        int offset = 0;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            Printed p = printed.get(i);
            byte[] encoded = WireCodec.encode(m);
            assertThat(p.offset()).as("offset of #%d", i).isEqualTo(offset);
            assertThat(HexFormat.of().formatHex(encoded)).as("re-encoding of #%d %s", i, m).isEqualTo(p.hex());
            assertThat(m).as("#%d", i).isNotInstanceOf(Raw.class);
            int lenSeen = 0;
            for (String[] f : p.fields()) {
                String key = f[0];
                if (key.equals("data")) {
                    assertDataMatches(dataOf(m), f[1], i);
                } else {
                    String actual = !key.equals("len") ? field(m, key)
                            : lenSeen++ == 0 ? String.valueOf(encoded.length) : String.valueOf(dataOf(m).length);
                    assertThat(actual).as("%s of #%d %s", key, i, m).isEqualTo(f[1]);
                }
            }
            offset += encoded.length;
        }
        assertThat(offset).isEqualTo(bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"session-http-get", "session-dns"})
    void managerForwardsTheMletRequestsAfterStartAndTheEndpointRepliesAfterTheStartResult(String session) throws Exception {
        List<Message> mletRequests = WireCodec.decodeAll(resource(session + "/mlet_leg.mlet2xpmgr.bin"));
        List<Message> tlsRequests = WireCodec.decodeAll(resource(session + "/tls_leg.xpmgr2endpt.bin"));
        List<Message> endpointReplies = WireCodec.decodeAll(resource(session + "/tls_leg.endpt2xpmgr.bin"));
        List<Message> mletReplies = WireCodec.decodeAll(resource(session + "/mlet_leg.xpmgr2mlet.bin"));

        assertThat(tlsRequests.getFirst()).isEqualTo(new Start());
        assertThat(tlsRequests.subList(1, tlsRequests.size())).isEqualTo(mletRequests);
        assertThat(endpointReplies.getFirst()).isEqualTo(Result.ok());
        assertThat(endpointReplies.subList(1, endpointReplies.size())).isEqualTo(mletReplies);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        for (Message m : endpointReplies.subList(1, endpointReplies.size())) {
            relayed.write(WireCodec.encode(m));
        }
        assertThat(relayed.toByteArray()).isEqualTo(resource(session + "/mlet_leg.xpmgr2mlet.bin"));
    }

    private static void assertDataMatches(byte[] data, String printed, int i) {
        boolean truncated = printed.endsWith("...\"");
        String inner = printed.substring(1, printed.length() - (truncated ? 4 : 1));
        byte[] expected = unescape(inner);
        if (truncated) {
            assertThat(data.length).as("data of #%d is longer than printed", i).isGreaterThan(expected.length);
            assertThat(java.util.Arrays.copyOf(data, expected.length)).as("data prefix of #%d", i).isEqualTo(expected);
        } else {
            assertThat(data).as("data of #%d", i).isEqualTo(expected);
        }
    }

    private static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'x') {
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static byte[] dataOf(Message m) {
        return switch (m) {
            case Nsend s -> s.data();
            case Ndata d -> d.data();
            default -> throw new AssertionError("no data in " + m);
        };
    }

    /** The value of one printed key, from the typed message, in the reference printer's notation. */
    private static String field(Message m, String key) {
        if (key.equals("type")) {
            int code = WireCodec.encode(m)[0] & 0xFF;
            return String.format("0x%02x(%s)", code, MessageType.nameOf(code));
        }
        return switch (m) {
            case Nopen n -> switch (key) {
                case "sktid" -> str(n.sktid());
                case "family" -> str(n.family().code());
                case "proto" -> str(n.proto().code());
                case "rbufsz" -> str(n.rbufsz());
                case "laddr" -> n.localAddress().getHostAddress();
                case "lport" -> str(n.lport());
                case "raddr" -> n.remote().map(r -> r.getAddress().getHostAddress()).orElse("(none)");
                case "rport" -> str(n.rport());
                default -> throw new AssertionError("unexpected key " + key + " for nopen");
            };
            case Nsend s -> switch (key) {
                case "sktid" -> str(s.sktid());
                case "family" -> str(s.family());
                case "proto" -> str(s.proto().code());
                case "tag" -> str(s.tag());
                case "time" -> PktlabTime.toString(s.time());
                case "raddr" -> s.destination().orElseThrow().getAddress().getHostAddress();
                case "rport" -> str(s.destination().orElseThrow().getPort());
                default -> throw new AssertionError("unexpected key " + key + " for nsend");
            };
            case Ndata d -> switch (key) {
                case "sktid" -> str(d.sktid());
                case "family" -> str(d.family());
                case "proto" -> str(d.proto().code());
                case "time" -> PktlabTime.toString(d.time());
                default -> throw new AssertionError("unexpected key " + key + " for ndata");
            };
            case Nstat s -> switch (key) {
                case "sktid" -> str(s.sktid());
                case "family" -> str(s.family());
                case "proto" -> str(s.proto());
                case "time" -> PktlabTime.toString(s.time());
                case "code" -> str(s.code());
                default -> throw new AssertionError("unexpected key " + key + " for nstat");
            };
            case Ntag t -> switch (key) {
                case "sktid" -> str(t.sktid());
                case "tag" -> str(t.tag());
                case "time" -> PktlabTime.toString(t.time());
                case "errid" -> str(t.errid());
                default -> throw new AssertionError("unexpected key " + key + " for ntag");
            };
            case Result r -> switch (key) {
                case "errid" -> str(r.errid());
                default -> throw new AssertionError("unexpected key " + key + " for result");
            };
            case Nclose c -> switch (key) {
                case "sktid" -> str(c.sktid());
                default -> throw new AssertionError("unexpected key " + key + " for nclose");
            };
            default -> throw new AssertionError("the vectors hold no " + m);
        };
    }

    private static String str(long v) {
        return String.valueOf(v);
    }

    private static List<Printed> printed(String file, String direction) {
        String text = new String(resource(file), StandardCharsets.UTF_8);
        List<Printed> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher h = HEAD.matcher(lines[i]);
            if (!h.matches() || !h.group(1).equals(direction)) {
                continue;
            }
            List<String[]> fields = new ArrayList<>();
            Matcher f = FIELD.matcher(h.group(4));
            while (f.find()) {
                fields.add(new String[] {f.group(1), f.group(2)});
            }
            StringBuilder hex = new StringBuilder();
            for (int j = i + 2; j < lines.length && lines[j].startsWith("    "); j++) {
                hex.append(lines[j].strip());
            }
            out.add(new Printed(h.group(1), Integer.parseInt(h.group(2)), Integer.parseInt(h.group(3)), fields, hex.toString()));
        }
        return out;
    }

    static byte[] resource(String name) {
        try (InputStream in = ReferenceVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource vectors/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
