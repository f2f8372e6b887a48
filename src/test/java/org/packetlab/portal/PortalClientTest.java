package org.packetlab.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.config.InstalledPrivilege;
import org.packetlab.config.PktlabHome;
import org.packetlab.config.PrivilegeRefusedException;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.VerifyMode;

/** The experimenter's side against a real portal (and a fake one) on 127.0.0.1, installing into a real home. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PortalClientTest {
    @TempDir
    Path dir;
    private PktlabHome operator;
    private PktlabHome experimenter;
    private final PortalClient client = PortalClient.create();

    @BeforeEach
    void homes() throws IOException {
        operator = PktlabHome.at(dir.resolve("operator"));
        operator.init(false);
        experimenter = PktlabHome.at(dir.resolve("experimenter"));
        experimenter.init(false);
    }

    private Portal start(PortalPolicy policy) throws IOException {
        return Portal.builder().operatorHome(operator.dir()).policy(policy).listen(new InetSocketAddress("127.0.0.1", 0)).start();
    }

    @Test
    void requestAndInstallPutsThePrivilegeIntoTheHomeInOneStep() throws Exception {
        try (Portal portal = start(PortalPolicy.builder().name("netlab").limit("max_socket_count", "8").build())) {
            InstalledPrivilege p = client.requestAndInstall(portal.url(), experimenter, null, null);
            assertThat(p.name()).as("the portal's policy name").isEqualTo("netlab");
            Cert installed = Cert.read(p.certFile());
            assertThat(installed.type()).isEqualTo(CertType.EXPPRIV);
            assertThat(installed.subject()).isEqualTo(experimenter.publicKey(PktlabHome.K_EXPER));
            assertThat(installed.limits().maxSocketCount()).hasValue(8);
            assertThat(p.verdict().mode()).isEqualTo(VerifyMode.ENDPOINT_AUTH_CONTROLLER);
            assertThat(p.verdict().top().authorityKeyId()).isEqualTo(operator.publicKey(PktlabHome.K_EOP).keyId());
            assertThat(Files.readString(p.operatorKeyFile())).isEqualTo(operator.publicKey(PktlabHome.K_EOP).pem());
            assertThat(Files.readString(experimenter.xpmgrConfFile())).contains("ExpExec " + p.entry());
            assertThat(Files.readAllLines(operator.dir().resolve("portal/issued.jsonl"))).hasSize(1);
            assertThat(portal.issuedCount()).isEqualTo(1);
        }
    }

    @Test
    void requestPrivilegeReturnsTheCertificateAndTheOperatorKeyThatSignedIt() throws Exception {
        try (Portal portal = start(PortalPolicy.builder().name("netlab").build())) {
            URI withoutSlash = URI.create("http://127.0.0.1:" + portal.address().getPort());
            GrantedPrivilege g = client.requestPrivilege(withoutSlash, experimenter.csrFile(PktlabHome.EXPPRIV_EXPER_CSR), null);
            assertThat(g.operatorKey()).isEqualTo(portal.operatorKey());
            assertThat(g.cert().isSignedBy(g.operatorKey())).isTrue();
            assertThat(g.cert().subject()).isEqualTo(experimenter.publicKey(PktlabHome.K_EXPER));
            assertThat(g.policyName()).isEqualTo("netlab");
        }
    }

    @Test
    void refusalCarriesThePortalsReasonAndInstallsNothing() throws Exception {
        try (Portal portal = start(PortalPolicy.builder().name("netlab").invitationCode("open-sesame-42").build())) {
            assertThatThrownBy(() -> client.requestAndInstall(portal.url(), experimenter, "lab", "open-sesame-41"))
                    .isInstanceOfSatisfying(PortalRefusedException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).startsWith("Not allowed by the operator's policy: The invitation code is not right.");
                        assertThat(e.getMessage()).startsWith("the portal refused (HTTP 403): Not allowed by the operator's policy:");
                    });
            assertThat(experimenter.certFile("lab_exppriv.cert")).doesNotExist();
            InstalledPrivilege p = client.requestAndInstall(portal.url(), experimenter, "lab", "open-sesame-42");
            assertThat(p.certFile()).isEqualTo(experimenter.certFile("lab_exppriv.cert")).exists();
        }
    }

    @Test
    void homeRefusesASecondPrivilegeOfTheSameName() throws Exception {
        try (Portal portal = start(PortalPolicy.defaults())) {
            client.requestAndInstall(portal.url(), experimenter, "lab", null);
            assertThatThrownBy(() -> client.requestAndInstall(portal.url(), experimenter, "lab", null))
                    .isInstanceOf(PrivilegeRefusedException.class).hasMessageContaining("already exists");
        }
    }

    @Test
    void certificateNotSignedByTheOfferedOperatorKeyIsNotAccepted() throws Exception {
        Ed25519PrivateKey offered = PortalFixture.key(3);
        Ed25519PrivateKey signer = PortalFixture.key(4);
        Cert forged = Cert.exppriv().subject(experimenter.publicKey(PktlabHome.K_EXPER)).validFor(java.time.Duration.ofDays(1)).signWith(signer);
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/operator.pub", x -> answer(x, offered.publicKey().pem()));
        fake.createContext("/sign", x -> answer(x, forged.pem()));
        fake.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + fake.getAddress().getPort() + "/");
            assertThatThrownBy(() -> client.requestPrivilege(url, experimenter.csrFile(PktlabHome.EXPPRIV_EXPER_CSR), null))
                    .isInstanceOf(IOException.class).hasMessageContaining("not signed by its operator key " + offered.keyId().hex());
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void unreachablePortalIsAnIOException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI url = URI.create("http://127.0.0.1:" + port + "/");
        assertThatThrownBy(() -> client.requestPrivilege(url, experimenter.csrFile(PktlabHome.EXPPRIV_EXPER_CSR), null))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client.requestPrivilege(URI.create("ftp://127.0.0.1/"), experimenter.csrFile(PktlabHome.EXPPRIV_EXPER_CSR), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http:// or https:// URL");
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, String body) throws IOException {
        x.getRequestBody().readAllBytes();
        byte[] b = body.getBytes(StandardCharsets.US_ASCII);
        x.getResponseHeaders().set("Content-Type", PortalReplyEncoder.PEM);
        x.sendResponseHeaders(200, b.length);
        x.getResponseBody().write(b);
        x.close();
    }
}
