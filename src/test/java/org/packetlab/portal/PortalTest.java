package org.packetlab.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.packetlab.portal.PortalFixture.EXPERIMENTER;
import static org.packetlab.portal.PortalFixture.NOW;
import static org.packetlab.portal.PortalFixture.OPERATOR;
import static org.packetlab.portal.PortalFixture.plainCsr;
import static org.packetlab.portal.PortalFixture.serialOn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.DelType;
import org.packetlab.ppks.Digest;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.results.Html;

/** The portal over real HTTP on 127.0.0.1: every page, every refusal, and that refusals sign nothing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PortalTest {
    private static final PortalPolicy LAB = PortalPolicy.builder().name("netlab").validFor(Duration.ofDays(30))
            .description("network lab").limit("valid_dest", "127.0.0.0/8").limit("max_socket_count", "16").build();

    @TempDir
    Path dir;
    private final PortalFixture f = PortalFixture.create();
    private Portal portal;

    private Portal start(PortalPolicy policy) throws IOException {
        portal = f.portal(policy, dir.resolve("issued.jsonl")).start();
        return portal;
    }

    @AfterEach
    void close() {
        if (portal != null) {
            portal.close();
            assertThat(portal.threadsEnded()).as("no portal thread outlives close()").isTrue();
        }
    }

    // ---- pages ----

    @Test
    void formPageIsPlainHtmlForPhonesWithTheUploadFormAndNothingExternal() throws Exception {
        start(LAB);
        HttpResponse<String> r = f.get(portal, "/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
        String page = r.body();
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .contains("<form method=\"post\" action=\"sign\" enctype=\"multipart/form-data\">")
                .contains("<label for=\"csr_file\">").contains("type=\"file\" id=\"csr_file\" name=\"csr_file\"")
                .contains("<label for=\"csr_text\">").contains("name=\"csr_text\"")
                .contains("href=\"operator.pub\"").contains(OPERATOR.keyId().hex())
                .contains("valid_dest=127.0.0.0/8").contains("max_socket_count=16").contains("30 days from issue")
                .doesNotContain("name=\"code\"")
                .doesNotContain("<script").doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(text(page)).contains("pktlab privileges request http://" + hostPort() + "/ --name netlab");
    }

    @Test
    void formAsksForTheInvitationCodeOnlyWhenThePolicyNeedsOne() throws Exception {
        start(PortalPolicy.builder().invitationCode("open-sesame-42").build());
        assertThat(f.get(portal, "/").body()).contains("<label for=\"code\">Invitation code</label>")
                .contains("name=\"code\" required").doesNotContain("open-sesame-42");
    }

    @Test
    void operatorKeyDownloadsAsPemFile() throws Exception {
        start(LAB);
        HttpResponse<String> r = f.get(portal, "/operator.pub");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-pem-file");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"operator.pub\"");
        assertThat(Ed25519PublicKey.parsePem(r.body())).isEqualTo(OPERATOR.publicKey());
    }

    @Test
    void signedCsrShowsCertificateDetailsDownloadAndInstallCommands() throws Exception {
        start(LAB);
        HttpResponse<String> r = f.upload(portal, plainCsr());
        assertThat(r.statusCode()).isEqualTo(200);
        String page = r.body();
        String serial = serialOn(page);
        assertThat(page).contains("<dt>Type</dt><dd>exppriv</dd>")
                .contains("<dt>Serial</dt><dd>" + serial + "</dd>")
                .contains("<dt>Subject key id</dt><dd>" + EXPERIMENTER.keyId().hex() + "</dd>")
                .contains("<dt>Signed by</dt><dd>" + OPERATOR.keyId().hex() + "</dd>")
                .contains("<dt>Valid from</dt><dd>2026-06-01 11:50:00 UTC</dd>")
                .contains("<dt>Valid until</dt><dd>2026-07-01 12:00:00 UTC</dd>")
                .contains("<dd>valid_dest=127.0.0.0/8<br>max_socket_count=16</dd>")
                .contains("download=\"" + serial + ".cert\"");
        assertThat(text(page)).contains("\npktlab privileges add --name netlab --cert " + serial + ".cert --operator-key operator.pub\n")
                .contains("\n%pktlab privileges add --name netlab --cert " + serial + ".cert --operator-key operator.pub\n");

        HttpResponse<String> download = f.get(portal, "/certs/" + serial + ".cert");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"" + serial + ".cert\"");
        Cert cert = Cert.parse(download.body().getBytes(StandardCharsets.US_ASCII), OPERATOR.publicKey());
        assertThat(cert.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(cert.serial().toString(16)).isEqualTo(serial);
        assertThat(cert.subject()).isEqualTo(EXPERIMENTER.publicKey());
        assertThat(cert.authorityKeyId()).isEqualTo(OPERATOR.keyId());
        assertThat(cert.notBefore()).isEqualTo(NOW.minus(Portal.CLOCK_SKEW));
        assertThat(cert.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(cert.limits().pairs().toString()).isEqualTo("valid_dest=127.0.0.0/8;max_socket_count=16;");
        assertThat(cert.description()).hasValue("network lab");
        assertThat(portal.issuedCount()).isEqualTo(1);
    }

    @Test
    void pastedRequestTextIsSignedLikeAFile() throws Exception {
        start(LAB);
        String form = "csr_text=" + URLEncoder.encode(plainCsr().pem().replace("\n", "\r\n"), StandardCharsets.UTF_8);
        HttpResponse<String> r = f.send(portal, "POST", "sign", "application/x-www-form-urlencoded",
                form.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<dt>Subject key id</dt><dd>" + EXPERIMENTER.keyId().hex() + "</dd>");
    }

    @Test
    void ppksmanRequestWithSuggestionsWithinThePolicyGetsThePolicyLimitsAndItsStricterPathLength() throws Exception {
        start(LAB);
        // asks for max_socket_count=10, valid_dest=127.0.0.1 and path length 0 (src/test/resources/ppks/make_fixtures.py)
        byte[] csr = PortalFixture.resource("/ppks/exppriv_exper.csr");
        HttpResponse<String> r = f.upload(portal, csr, null);
        assertThat(r.statusCode()).isEqualTo(200);
        Cert cert = Cert.parse(f.get(portal, "/certs/" + serialOn(r.body()) + ".cert").body().getBytes(StandardCharsets.US_ASCII));
        assertThat(cert.subject()).isEqualTo(Csr.parse(csr).subject());
        assertThat(cert.limits().pairs().toString()).isEqualTo("valid_dest=127.0.0.0/8;max_socket_count=16;");
        assertThat(cert.pathLen()).hasValue(0);
    }

    @Test
    void apiClientsAcceptingPemGetTheBareCertificateAndOneLineRefusals() throws Exception {
        start(LAB);
        Multipart ok = new Multipart().file("csr_file", "a.csr", "application/pkcs10", plainCsr().pem().getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = f.send(portal, "POST", "sign", ok.contentType(), ok.body(), PortalReplyEncoder.PEM);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(PortalReplyEncoder.PEM);
        assertThat(r.headers().firstValue(PortalReplyEncoder.POLICY_HEADER)).hasValue("netlab");
        assertThat(Cert.parse(r.body().getBytes(StandardCharsets.US_ASCII)).isSignedBy(OPERATOR.publicKey())).isTrue();

        Multipart bad = new Multipart().file("csr_file", "a.csr", "application/pkcs10", "hello".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> no = f.send(portal, "POST", "sign", bad.contentType(), bad.body(), PortalReplyEncoder.PEM);
        assertThat(no.statusCode()).isEqualTo(400);
        assertThat(no.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(no.body()).startsWith("400 Not a certificate request: ").hasLineCount(1);
    }

    @Test
    void delprivIsSignedOnlyWhenThePolicyIssuesItWithThatDelegation() throws Exception {
        Csr delpriv = Csr.delpriv(DelType.EXPPRIV).signWith(EXPERIMENTER);
        start(LAB);
        assertRefused(f.upload(portal, delpriv), 403, "asks for a delpriv certificate; this portal issues exppriv only");
        portal.close();

        start(PortalPolicy.builder().types(CertType.EXPPRIV, CertType.DELPRIV).delTypes(DelType.EXPPRIV).build());
        assertRefused(f.upload(portal, Csr.delpriv(DelType.REPPRIV).signWith(EXPERIMENTER)), 403,
                "asks to delegate reppriv; this portal lets delpriv delegate exppriv only");
        HttpResponse<String> r = f.upload(portal, delpriv);
        assertThat(r.statusCode()).isEqualTo(200);
        Cert cert = Cert.parse(f.get(portal, "/certs/" + serialOn(r.body()) + ".cert").body().getBytes(StandardCharsets.US_ASCII));
        assertThat(cert.type()).isEqualTo(CertType.DELPRIV);
        assertThat(cert.delTypes()).containsExactly(DelType.EXPPRIV);
    }

    @Test
    void requestsAskingForMoreThanThePolicyLimitsAreRefused() throws Exception {
        start(PortalPolicy.builder().limit("valid_dest", "127.0.0.0/8").limit("max_socket_count", "16")
                .limit("max_burst_rate_byte", "1000/1000000000").limit("src_ip_spoofing", "0").build());
        assertRefused(f.upload(portal, Csr.exppriv().maxSocketCount(17).signWith(EXPERIMENTER)), 403,
                "asks for max_socket_count=17, more than the policy allows (16)");
        assertRefused(f.upload(portal, Csr.exppriv().validDest("10.0.0.0/8").signWith(EXPERIMENTER)), 403,
                "asks for destinations 10.0.0.0/8, outside what the policy allows (127.0.0.0/8)");
        assertRefused(f.upload(portal, Csr.exppriv().validDest("127.0.0.0/7").signWith(EXPERIMENTER)), 403, "outside what the policy allows");
        assertRefused(f.upload(portal, Csr.exppriv().srcIpSpoofing(true).signWith(EXPERIMENTER)), 403, "forbids spoofed source addresses");
        assertRefused(f.upload(portal, Csr.exppriv().maxBurstRateByte(new org.packetlab.ppks.BurstRate(2000, 1_000_000_000L))
                .signWith(EXPERIMENTER)), 403, "max_burst_rate_byte=2000/1000000000");
        assertRefused(f.upload(portal, Csr.exppriv().monitor(Digest.sha256(new byte[] {1})).signWith(EXPERIMENTER)), 403,
                "the operator decides them and this policy imposes none");
        assertRefused(f.upload(portal, Csr.exppriv().auxLimit("colour", "blue").signWith(EXPERIMENTER)), 403,
                "asks for the limit \"colour\", which this portal does not grant");
        assertThat(portal.issuedCount()).isZero();
        assertThat(f.upload(portal, Csr.exppriv().maxSocketCount(16).validDest("127.0.0.1")
                .maxBurstRateByte(new org.packetlab.ppks.BurstRate(500, 1_000_000_000L)).signWith(EXPERIMENTER)).statusCode()).isEqualTo(200);
    }

    @Test
    void invitationCodeMustMatch() throws Exception {
        start(PortalPolicy.builder().invitationCode("open-sesame-42").build());
        byte[] csr = plainCsr().pem().getBytes(StandardCharsets.US_ASCII);
        assertRefused(f.upload(portal, csr, null), 403, "needs the invitation code");
        assertRefused(f.upload(portal, csr, "open-sesame-43"), 403, "The invitation code is not right");
        assertThat(portal.issuedCount()).isZero();
        assertThat(f.upload(portal, csr, "  open-sesame-42 ").statusCode()).isEqualTo(200);
    }

    @Test
    void keysOffTheAllowListAreRefused() throws Exception {
        start(PortalPolicy.builder().allowKeyIds(PortalFixture.key(9).keyId()).build());
        assertRefused(f.upload(portal, plainCsr()), 403, "The requesting key " + EXPERIMENTER.keyId().hex() + " is not on this portal's list");
        assertThat(f.upload(portal, Csr.exppriv().signWith(PortalFixture.key(9))).statusCode()).isEqualTo(200);
    }

    // ---- hostile uploads ----

    @Test
    void oversizeUploadGets413PageAndNothingIsSigned() throws Exception {
        start(LAB);
        byte[] big = new byte[PortalAggregator.MAX_REQUEST_BYTES + 1];
        java.util.Arrays.fill(big, (byte) 'A');
        Multipart m = new Multipart().file("csr_file", "big.csr", "application/octet-stream", big);
        HttpResponse<String> r = f.send(portal, "POST", "sign", m.contentType(), m.body(), null);
        assertRefused(r, 413, "A request may be at most 64 KiB");
        assertThat(r.body()).contains("Nothing was signed.");
        assertThat(portal.issuedCount()).isZero();
        assertThat(f.get(portal, "/").statusCode()).as("the portal goes on serving").isEqualTo(200);
    }

    @Test
    void announcedOversizeBodyWaitingForContinueGets413Too() throws Exception {
        start(LAB);
        try (Socket s = new Socket("127.0.0.1", portal.address().getPort())) {
            s.setSoTimeout(10_000);
            write(s, "POST /sign HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                    + "Content-Length: 10000000\r\nExpect: 100-continue\r\n\r\n");
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("A request may be at most 64 KiB");
        }
    }

    @Test
    void malformedPemIsRefused() throws Exception {
        start(LAB);
        assertRefused(f.upload(portal, "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII), null), 400, "Not a certificate request");
        assertRefused(f.upload(portal, new byte[] {0x30, 0x03, 0x02, 0x01}, null), 400, "Not a certificate request");
        String truncated = plainCsr().pem();
        assertRefused(f.upload(portal, truncated.substring(0, truncated.length() / 2).getBytes(StandardCharsets.US_ASCII), null),
                400, "Not a certificate request");
        assertRefused(f.upload(portal, PortalFixture.resource("/ppks/delpriv_limits_eop_exper.cert"), null), 400,
                "Not a certificate request");
        assertThat(portal.issuedCount()).isZero();
    }

    @Test
    void requestWithABadSelfSignatureIsRefused() throws Exception {
        start(LAB);
        byte[] der = plainCsr().der();
        der[der.length - 1] ^= 0x01;
        assertRefused(f.upload(portal, der, null), 400, "signature does not verify with its own key");
        assertThat(portal.issuedCount()).isZero();
    }

    @Test
    void requestsWithOtherThanEd25519KeysAreRefused() throws Exception {
        start(LAB);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        var ec = g.generateKeyPair();
        PKCS10CertificationRequest ecdsa = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate()));
        assertRefused(f.upload(portal, ecdsa.getEncoded(), null), 400, "Not signed with Ed25519");
        // Ed25519 signature algorithm over an EC key: the key itself is what is wrong
        CertificationRequest mixed = new CertificationRequest(ecdsa.toASN1Structure().getCertificationRequestInfo(),
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DERBitString(new byte[64]));
        assertRefused(f.upload(portal, mixed.getEncoded(), null), 400, "Not an Ed25519 key");
        assertThat(portal.issuedCount()).isZero();
    }

    @Test
    void formWithNeitherOrBothRequestsOrRepeatedFieldsIsRefused() throws Exception {
        start(LAB);
        Multipart neither = new Multipart().file("csr_file", "", "application/octet-stream", new byte[0]).field("csr_text", " ");
        assertRefused(f.send(portal, "POST", "sign", neither.contentType(), neither.body(), null), 400, "Choose your certificate request file");
        byte[] pem = plainCsr().pem().getBytes(StandardCharsets.US_ASCII);
        Multipart both = new Multipart().file("csr_file", "a.csr", "application/octet-stream", pem).field("csr_text", plainCsr().pem());
        assertRefused(f.send(portal, "POST", "sign", both.contentType(), both.body(), null), 400, "not both");
        Multipart twice = new Multipart().file("csr_file", "a.csr", "application/octet-stream", pem)
                .file("csr_file", "b.csr", "application/octet-stream", pem);
        assertRefused(f.send(portal, "POST", "sign", twice.contentType(), twice.body(), null), 400, "appears more than once");
        assertThat(portal.issuedCount()).isZero();
    }

    @Test
    void bodiesThatAreNotFormsAreRefused() throws Exception {
        start(LAB);
        byte[] pem = plainCsr().pem().getBytes(StandardCharsets.US_ASCII);
        assertRefused(f.send(portal, "POST", "sign", "application/pkcs10", pem, null), 415, "upload form");
        assertRefused(f.send(portal, "POST", "sign", null, pem, null), 415, "upload form");
        assertRefused(f.send(portal, "POST", "sign", "multipart/form-data", pem, null), 400, "could not be read as a form");
        assertRefused(f.send(portal, "POST", "sign", "multipart/form-data; boundary=zz", "--zz\r\ngarbage".getBytes(StandardCharsets.US_ASCII),
                null), 400, "");
        assertThat(portal.issuedCount()).isZero();
    }

    @Test
    void unknownPagesAre404AndWrongMethods405WithAllow() throws Exception {
        start(LAB);
        assertRefused(f.get(portal, "/admin"), 404, "There is no page /admin on this portal.");
        assertRefused(f.get(portal, "/certs/abcdef.cert"), 404, "issued no certificate with serial abcdef");
        assertRefused(f.get(portal, "/certs/../operator.pub.cert"), 404, "");
        HttpResponse<String> post = f.send(portal, "POST", "", "text/plain", new byte[0], null);
        assertRefused(post, 405, "/ answers GET only, not POST.");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> get = f.get(portal, "/sign");
        assertRefused(get, 405, "/sign answers POST only, not GET.");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(f.send(portal, "DELETE", "operator.pub", null, new byte[0], null).statusCode()).isEqualTo(405);
        assertThat(f.send(portal, "HEAD", "", null, new byte[0], null).statusCode()).isEqualTo(405);
    }

    @Test
    void textFromRequestsIsEscapedOnPages() throws Exception {
        start(LAB);
        String hostile = "-----BEGIN <script>alert(1)</script>-----\nAAAA\n";
        HttpResponse<String> r = f.upload(portal, hostile.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
        HttpResponse<String> notFound = f.get(portal, "/%3Cimg%20src=x%20onerror=alert(1)%3E");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
    }

    @Test
    void unparsableOrOverlongRequestsGetAClearStatus() throws Exception {
        start(LAB);
        assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(raw("GET /" + "a".repeat(PortalInitializer.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414 ");
        assertThat(raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(PortalInitializer.MAX_HEADER_BYTES) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertThat(f.get(portal, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void tooManySigningRequestsGet429UntilTheBucketRefills() throws Exception {
        start(PortalPolicy.builder().maxRequestsPerMinute(2).build());
        assertThat(f.upload(portal, plainCsr()).statusCode()).isEqualTo(200);
        assertThat(f.upload(portal, "junk".getBytes(StandardCharsets.US_ASCII), null).statusCode()).isEqualTo(400);
        HttpResponse<String> limited = f.upload(portal, plainCsr());
        assertRefused(limited, 429, "Try again in 30 seconds");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("30");
        f.nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(f.upload(portal, plainCsr()).statusCode()).isEqualTo(200);
        assertThat(portal.issuedCount()).isEqualTo(2);
    }

    @Test
    void responsesForbidFramingSniffingAndCaching() throws Exception {
        start(LAB);
        HttpResponse<String> r = f.get(portal, "/");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Connection")).hasValue("close");
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", portal.address().getPort())) {
            s.setSoTimeout(10_000);
            write(s, request);
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The page's text: tags removed (commands are wrapped per word in spans). */
    private static String text(String page) {
        return page.replaceAll("<[^>]+>", "");
    }

    private String hostPort() {
        return "127.0.0.1:" + portal.address().getPort();
    }

    private static void assertRefused(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.body()).contains("role=\"alert\"").contains(Html.escape(message));
    }
}
