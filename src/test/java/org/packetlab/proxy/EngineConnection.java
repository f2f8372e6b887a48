package org.packetlab.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * A TLS connection driven record by record over a blocking socket, so a test sees and controls
 * every byte: it reads exactly one TLS record at a time (never past it), and the raw streams stay
 * usable after close_notify, as the backlog protocol needs.
 */
final class EngineConnection implements AutoCloseable {
    private final Socket socket;
    private final SSLEngine engine;
    private final DataInputStream in;
    private final OutputStream out;
    private byte[] early = new byte[0];

    EngineConnection(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A client connection to {@code to} with an engine of {@code tls}. */
    static EngineConnection connect(InetSocketAddress to, SslContext tls) throws IOException {
        Socket s = new Socket();
        s.connect(to, 5_000);
        return new EngineConnection(s, tls.newEngine(ByteBufAllocator.DEFAULT));
    }

    /** The server side of an accepted socket with an engine of {@code tls}. */
    static EngineConnection accepted(Socket s, SslContext tls) throws IOException {
        return new EngineConnection(s, tls.newEngine(ByteBufAllocator.DEFAULT));
    }

    /** The first flight of a new engine of {@code tls}: a TLS record holding a ClientHello. */
    static byte[] clientHello(SslContext tls) throws IOException {
        SSLEngine e = tls.newEngine(ByteBufAllocator.DEFAULT);
        e.beginHandshake();
        ByteBuffer dst = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
        e.wrap(ByteBuffer.allocate(0), dst);
        return Arrays.copyOf(dst.array(), dst.position());
    }

    void handshake() throws IOException {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> writeRaw(wrap(ByteBuffer.allocate(0)));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> early = concat(early, unwrap(readRecord()));
                case NEED_TASK -> runTasks();
                case FINISHED, NOT_HANDSHAKING -> {
                    return;
                }
            }
        }
    }

    /** Exactly one TLS record, header included. */
    byte[] readRecord() throws IOException {
        byte[] header = readRaw(5);
        int len = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
        return concat(header, readRaw(len));
    }

    /** The plaintext of the next records that carry application data (one record at a time). */
    byte[] readApplication() throws IOException {
        if (early.length > 0) {
            byte[] e = early;
            early = new byte[0];
            return e;
        }
        while (true) {
            byte[] plain = unwrap(readRecord());
            if (plain.length > 0) {
                return plain;
            }
            if (engine.isInboundDone()) {
                throw new EOFException("peer sent close_notify");
            }
        }
    }

    /** Unwraps one record the caller read; returns its plaintext. */
    byte[] unwrap(byte[] record) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(record);
        ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SSLEngineResult r = engine.unwrap(src, dst);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || src.hasRemaining()) {
            throw new IOException("record not unwrapped whole: " + r);
        }
        runTasks();
        return Arrays.copyOf(dst.array(), dst.position());
    }

    boolean inboundDone() {
        return engine.isInboundDone();
    }

    void writeApplication(byte[] plain) throws IOException {
        writeRaw(wrap(ByteBuffer.wrap(plain)));
    }

    /** Sends close_notify (once; the peer's is not awaited). */
    void closeOutbound() throws IOException {
        engine.closeOutbound();
        writeRaw(wrap(ByteBuffer.allocate(0)));
    }

    byte[] readRaw(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** The next raw byte, or -1 at EOF. */
    int readRawByte() throws IOException {
        return in.read();
    }

    void writeRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    Socket socket() {
        return socket;
    }

    private byte[] wrap(ByteBuffer src) throws IOException {
        ByteArrayOutputStream produced = new ByteArrayOutputStream();
        ByteBuffer dst = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        do {
            dst.clear();
            SSLEngineResult r = engine.wrap(src, dst);
            if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
                throw new IOException("wrap failed: " + r);
            }
            produced.write(dst.array(), 0, dst.position());
            runTasks();
        } while (src.hasRemaining());
        return produced.toByteArray();
    }

    private void runTasks() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
