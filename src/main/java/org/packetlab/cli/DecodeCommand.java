package org.packetlab.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.packetlab.wire.Message;
import org.packetlab.wire.MessageReader;
import org.packetlab.wire.WireCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pktlab decode FILE}: prints a PacketLab byte stream message by message. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Print a PacketLab byte stream (e.g. a recorded session leg) message by message.")
final class DecodeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "File holding the raw PacketLab messages.")
    Path file;

    @Option(names = "--json", description = "One JSON object per message instead of text.")
    boolean json;

    @Option(names = "--max-body", paramLabel = "BYTES", description = "Refuse messages with a longer body (default: ${DEFAULT-VALUE}).")
    int maxBody = WireCodec.MAX_BODY;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (InputStream in = open(file)) {
            print(new MessageReader(new BufferedInputStream(in), maxBody), out, json);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } finally {
            out.flush();
        }
        return 0;
    }

    /** Prints every message of {@code reader}, then (in text form) the {@code N messages, M bytes} summary. */
    static void print(MessageReader reader, PrintWriter out, boolean json) throws IOException {
        int index = 0;
        for (Message m; (m = reader.read()) != null; index++) {
            long offset = reader.offset() - WireCodec.encodedLength(m);
            out.print(json ? MessageText.json(index, offset, m) + "\n" : MessageText.text(index, offset, m));
        }
        if (!json) {
            out.println(index + " messages, " + reader.offset() + " bytes");
        }
    }

    private static InputStream open(Path file) throws IOException {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException("is a directory, not a file");
            }
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException("permission denied", e);
        }
    }
}
