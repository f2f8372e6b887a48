package org.packetlab.bench;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.packetlab.config.EndptConf;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.XpmgrConf;
import org.packetlab.manager.Identity;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.VerifyMode;
import org.packetlab.tls.PpksTls;
import org.packetlab.tls.TlsIdentity;

/**
 * The floor our figures are compared with: a direct loopback TLS 1.3 connection between two
 * blocking {@link SSLSocket}s with the same PPKS contexts and Ed25519 credentials as the lab's
 * manager and endpoint, TCP_NODELAY on, no PacketLab framing.
 */
final class TlsBaseline implements AutoCloseable {
    private static final String TLS_13 = "TLSv1.3";
    private static final int CHUNK = 64 * 1024;

    private final SSLContext server;
    private final SSLContext client;
    private final ExecutorService serverThreads = Executors.newVirtualThreadPerTaskExecutor();

    private TlsBaseline(SSLContext server, SSLContext client) {
        this.server = server;
        this.client = client;
    }

    /** A baseline with the manager and endpoint credentials of {@code home}. */
    static TlsBaseline of(PktlabHome home) throws IOException {
        XpmgrConf xpmgr = home.xpmgrConf().config();
        Identity manager = Identity.fromExpExec(xpmgr.expExec().get(0), Ed25519PrivateKey.read(xpmgr.controllerPrivkeyPath()));
        EndptConf endpt = home.endptConf().config();
        List<Cert> chain = new ArrayList<>();
        for (var p : endpt.controllerCertChainPath()) {
            try {
                chain.addAll(Cert.readAll(p));
            } catch (CertException e) {
                throw new IOException(p + ": " + e.getMessage(), e);
            }
        }
        List<Ed25519PublicKey> roots = new ArrayList<>();
        for (var p : endpt.endpointOpPubKeyPath()) {
            roots.add(Ed25519PublicKey.read(p));
        }
        SslContext serverContext = PpksTls.server(VerifyMode.CONTROLLER_AUTH_ENDPOINT)
                .defaultEntry(manager.tls(), manager.trustedRoots()).build()
                .context(Optional.empty()).orElseThrow();
        SslContext clientContext = PpksTls.client(VerifyMode.ENDPOINT_AUTH_CONTROLLER)
                .roots(roots).identity(new TlsIdentity(chain, Ed25519PrivateKey.read(endpt.endpointPrivKey())))
                .build().context();
        return new TlsBaseline(jdk(serverContext), jdk(clientContext));
    }

    private static SSLContext jdk(SslContext context) {
        if (context instanceof JdkSslContext j) {
            return j.context();
        }
        throw new IllegalStateException("PPKS TLS contexts are JDK contexts, not " + context.getClass().getName());
    }

    /** Round-trip times in nanoseconds of {@code rounds} ping-pongs ({@code request} bytes out, {@code reply} bytes back), after {@code warmup} more. */
    long[] pingPong(int warmup, int rounds, int request, int reply) throws IOException, InterruptedException {
        try (SSLServerSocket listener = listen()) {
            Future<?> echo = serverThreads.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    byte[] req = new byte[request];
                    byte[] rep = new byte[reply];
                    for (int i = 0; i < warmup + rounds; i++) {
                        in.readFully(req);
                        out.write(rep);
                        out.flush();
                    }
                }
                return null;
            });
            long[] nanos = new long[rounds];
            try (SSLSocket s = connect(listener)) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] req = new byte[request];
                byte[] rep = new byte[reply];
                for (int i = 0; i < warmup + rounds; i++) {
                    long t0 = System.nanoTime();
                    out.write(req);
                    out.flush();
                    in.readFully(rep);
                    if (i >= warmup) {
                        nanos[i - warmup] = System.nanoTime() - t0;
                    }
                }
            }
            join(echo);
            return nanos;
        }
    }

    /** Nanoseconds to connect, shake hands and receive {@code bytes} bytes sent by the server in one stream. */
    long download(long bytes) throws IOException, InterruptedException {
        try (SSLServerSocket listener = listen()) {
            Future<?> send = serverThreads.submit(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[CHUNK];
                    for (long left = bytes; left > 0; left -= CHUNK) {
                        out.write(chunk, 0, (int) Math.min(CHUNK, left));
                    }
                    out.flush();
                }
                return null;
            });
            long t0 = System.nanoTime();
            long received = 0;
            try (SSLSocket s = connect(listener)) {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[CHUNK];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    received += n;
                }
            }
            long elapsed = System.nanoTime() - t0;
            join(send);
            if (received != bytes) {
                throw new IOException("baseline download received " + received + " of " + bytes + " bytes");
            }
            return elapsed;
        }
    }

    private SSLServerSocket listen() throws IOException {
        SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {TLS_13});
        listener.setNeedClientAuth(true);
        return listener;
    }

    private SSLSocket connect(SSLServerSocket listener) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        s.setEnabledProtocols(new String[] {TLS_13});
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
        s.startHandshake();
        return s;
    }

    private static void join(Future<?> server) throws IOException, InterruptedException {
        try {
            server.get();
        } catch (ExecutionException e) {
            throw new IOException("baseline server failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        serverThreads.close();
    }
}
