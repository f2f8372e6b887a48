package org.packetlab.portal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.packetlab.config.InstalledPrivilege;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.PrivilegeRefusedException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertException;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Ed25519PublicKey;

/**
 * The experimenter's side of a privilege portal: sends a certificate signing request to a portal,
 * fetches the operator's key, and installs the granted privilege in a PacketLab home. In one line:
 * <pre>{@code
 * PortalClient.create().requestAndInstall(URI.create("http://127.0.0.1:20580/"), PktlabHome.atDefault(), "lab", null);
 * }</pre>
 * Immutable and thread-safe; share one.
 */
public final class PortalClient {
    /** The most bytes read from any portal answer (a certificate or key is under 2 KiB). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** The names {@link PktlabHome#addPrivilege} takes, checked before asking so a bad name costs the operator no certificate. */
    private static final Pattern PRIVILEGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final HttpClient http;
    private final Duration timeout;

    private PortalClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** A client with a 30-second timeout per request. */
    public static PortalClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks {@code portal} to sign the request in {@code csrFile} ({@code csrs/exppriv_exper.csr} of
     * a home, usually) and fetches the operator key. The certificate is checked to be signed by
     * that key and to be for the request's key.
     *
     * @param invitationCode the operator's invitation code, or null when the portal needs none
     * @throws PortalRefusedException when the portal answered but signed nothing (the reason is the portal's)
     * @throws IOException            when the portal cannot be reached or answers something that is not a privilege
     */
    public GrantedPrivilege requestPrivilege(URI portal, Path csrFile, String invitationCode) throws IOException, PortalRefusedException {
        Csr csr;
        try {
            csr = Csr.read(csrFile);
        } catch (CertException e) {
            throw new IOException(csrFile + " is not a certificate request: " + e.getMessage(), e);
        }
        return requestPrivilege(portal, csr, invitationCode);
    }

    /** Like {@link #requestPrivilege(URI, Path, String)} with a request at hand. */
    public GrantedPrivilege requestPrivilege(URI portal, Csr csr, String invitationCode) throws IOException, PortalRefusedException {
        URI base = base(portal);
        Ed25519PublicKey operatorKey = operatorKey(base);
        Multipart form = new Multipart().file(SignFormDecoder.CSR_FILE, "request.csr", "application/pkcs10",
                csr.pem().getBytes(StandardCharsets.US_ASCII));
        if (invitationCode != null) {
            form.field(SignFormDecoder.CODE, invitationCode);
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve("sign")).timeout(timeout)
                .header("Accept", PortalReplyEncoder.PEM)
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
                .build();
        HttpResponse<InputStream> r = send(request);
        byte[] body = read(r);
        if (r.statusCode() != 200) {
            throw new PortalRefusedException(r.statusCode(), reason(r, body));
        }
        Cert cert;
        try {
            cert = Cert.parse(body);
        } catch (CertException e) {
            throw new IOException(base + " answered something that is not a certificate: " + e.getMessage(), e);
        }
        if (!cert.isSignedBy(operatorKey)) {
            throw new IOException(base + " answered a certificate not signed by its operator key " + operatorKey.keyId().hex());
        }
        if (!cert.subject().equals(csr.subject())) {
            throw new IOException(base + " answered a certificate for key " + cert.subjectKeyId().hex() + ", not the request's "
                    + csr.subject().keyId().hex());
        }
        String policy = r.headers().firstValue(PortalReplyEncoder.POLICY_HEADER).orElse("");
        return new GrantedPrivilege(cert, operatorKey, policy);
    }

    /**
     * Requests experiment privilege for {@code home}'s experimenter key with its
     * {@code csrs/exppriv_exper.csr}, and installs it in that home (the validated ExpExec
     * amendment of {@link PktlabHome#addPrivilege}): the manager then offers it to the operator's
     * endpoints.
     *
     * @param name           the privilege's name in the home; null = the portal's policy name
     * @param invitationCode the operator's invitation code, or null
     * @throws PrivilegeRefusedException when the home would not install it (e.g. the name is taken)
     */
    public InstalledPrivilege requestAndInstall(URI portal, PktlabHome home, String name, String invitationCode)
            throws IOException, PortalRefusedException, PrivilegeRefusedException {
        if (name != null && !PRIVILEGE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("privilege name \"" + name + "\": use 1-64 letters, digits, '_' or '-'");
        }
        Path csr = home.csrFile(PktlabHome.EXPPRIV_EXPER_CSR);
        if (!Files.exists(csr)) {
            throw new IOException("no " + csr + ": run `pktlab init` first (it makes the request)");
        }
        GrantedPrivilege g = requestPrivilege(portal, csr, invitationCode);
        String chosen = name != null ? name : g.policyName();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("the portal suggests no privilege name: give one");
        }
        return home.addPrivilege(chosen, g.cert(), g.operatorKey(), null, false);
    }

    private Ed25519PublicKey operatorKey(URI base) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(PortalPages.OPERATOR_KEY_FILE)).timeout(timeout).GET().build();
        HttpResponse<InputStream> r = send(request);
        byte[] body = read(r);
        if (r.statusCode() != 200) {
            throw new IOException(base + " has no operator key (HTTP " + r.statusCode() + "): is this a PacketLab portal?");
        }
        try {
            return Ed25519PublicKey.parsePem(new String(body, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(base + PortalPages.OPERATOR_KEY_FILE + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while talking to " + request.uri());
            io.initCause(e);
            throw io;
        }
    }

    private static byte[] read(HttpResponse<InputStream> r) throws IOException {
        try (InputStream in = r.body()) {
            byte[] b = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (b.length > MAX_ANSWER_BYTES) {
                throw new IOException(r.uri() + " answered more than " + MAX_ANSWER_BYTES + " bytes: not a PacketLab portal");
            }
            return b;
        }
    }

    /** The portal's one-line explanation (without its leading status code), or the status alone when the answer is not plain text. */
    private static String reason(HttpResponse<?> r, byte[] body) {
        boolean text = r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain");
        String s = text ? new String(body, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("") : "";
        String status = r.statusCode() + " ";
        return s.isEmpty() ? "HTTP status " + r.statusCode() : s.startsWith(status) ? s.substring(status.length()) : s;
    }

    private static URI base(URI portal) {
        Objects.requireNonNull(portal, "portal");
        if (!"http".equalsIgnoreCase(portal.getScheme()) && !"https".equalsIgnoreCase(portal.getScheme())) {
            throw new IllegalArgumentException("portal address " + portal + " is not an http:// or https:// URL");
        }
        String path = portal.getRawPath() == null || portal.getRawPath().isEmpty() ? "/" : portal.getRawPath();
        if (!path.endsWith("/")) {
            path += "/";
        }
        return URI.create(portal.getScheme() + "://" + portal.getRawAuthority() + path);
    }

    /** Settings of a {@link PortalClient}. */
    public static final class Builder {
        private HttpClient http;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {}

        /** How long each request to the portal may take (default 30 seconds). */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout <= 0");
            }
            this.timeout = timeout;
            return this;
        }

        /** The HTTP client to use (default: a new one, HTTP/1.1, never following redirects). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public PortalClient build() {
            HttpClient h = http != null ? http : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
            return new PortalClient(h, timeout);
        }
    }
}
