package org.packetlab.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.packetlab.ppks.Cert;
import org.packetlab.ppks.CertType;
import org.packetlab.ppks.ChainVerifier;
import org.packetlab.ppks.Csr;
import org.packetlab.ppks.Ed25519PrivateKey;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.ppks.Verdict;
import org.packetlab.ppks.VerifyMode;

/**
 * The portal in a real headless browser: Debian's chromium driven through Debian's chromedriver
 * (set explicitly, so Selenium Manager never runs and nothing is downloaded). Uploads a CSR file
 * through the form, downloads the certificate and the operator key from the result page's links,
 * and checks the certificate makes a verifying chain; saves docs/images/portal.png.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SELENIUM_CACHE = Path.of(System.getProperty("user.home"), ".cache", "selenium");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static final PortalFixture f = PortalFixture.create();
    private static Portal portal;
    private static ChromeDriverService service;
    private static WebDriver browser;
    private static boolean seleniumCacheExisted;

    @BeforeAll
    static void start() throws IOException {
        assertThat(CHROMIUM).as("run scripts/test-prereqs.sh (as root) to install chromium").isExecutable();
        assertThat(CHROMEDRIVER).as("run scripts/test-prereqs.sh (as root) to install chromium-driver").isExecutable();
        seleniumCacheExisted = Files.exists(SELENIUM_CACHE);
        portal = f.portal(PortalPolicy.builder().name("netlab").validFor(Duration.ofDays(90)).description("network lab, spring term")
                .limit("valid_dest", "127.0.0.0/8,::1").limit("max_socket_count", "16").limit("max_exp_period", "2h").build(),
                dir.resolve("issued.jsonl")).start();
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-domain-reliability", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--user-data-dir=" + dir.resolve("chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (portal != null) {
            portal.close();
        }
        if (!seleniumCacheExisted) {
            assertThat(SELENIUM_CACHE).as("Selenium Manager never ran").doesNotExist();
        }
    }

    @Test
    @Order(1) // first, so the screenshot shows the same serial on every run
    void uploadedRequestComesBackAsAVerifyingPrivilegeWithInstallCommands() throws Exception {
        Path csrFile = dir.resolve("exppriv_exper.csr");
        Files.writeString(csrFile, PortalFixture.plainCsr().pem());
        browser.manage().window().setSize(new Dimension(900, 1200));
        browser.get(portal.url().toString());
        assertThat(browser.getTitle()).isEqualTo("Experiment privilege portal \u2013 PacketLab");

        browser.findElement(By.id("csr_file")).sendKeys(csrFile.toString());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.tagName("h1"), "Privilege granted"));

        String certUrl = browser.findElement(By.id("certificate-link")).getAttribute("href");
        String keyUrl = browser.findElement(By.id("operator-key-link")).getAttribute("href");
        HttpResponse<String> certDownload = f.http.send(java.net.http.HttpRequest.newBuilder(URI.create(certUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> keyDownload = f.http.send(java.net.http.HttpRequest.newBuilder(URI.create(keyUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(certDownload.statusCode()).isEqualTo(200);
        assertThat(keyDownload.statusCode()).isEqualTo(200);
        Cert cert = Cert.parse(certDownload.body().getBytes(StandardCharsets.US_ASCII));
        Ed25519PublicKey operatorKey = Ed25519PublicKey.parsePem(keyDownload.body());

        assertThat(cert.type()).isEqualTo(CertType.EXPPRIV);
        assertThat(cert.isSignedBy(operatorKey)).isTrue();
        assertThat(operatorKey).isEqualTo(PortalFixture.OPERATOR.publicKey());
        // the experimenter's own pubcmd for a controller key on top of the downloaded exppriv: the chain an endpoint checks
        Ed25519PrivateKey controller = PortalFixture.key(5);
        Cert pubcmd = Cert.pubcmd().subject(controller.publicKey()).validFrom(PortalFixture.NOW.minus(Duration.ofHours(1)))
                .validFor(Duration.ofDays(1)).signWith(PortalFixture.EXPERIMENTER);
        Verdict v = ChainVerifier.of(VerifyMode.ENDPOINT_AUTH_CONTROLLER, operatorKey)
                .verify(List.of(pubcmd, cert), PortalFixture.NOW.plus(Duration.ofMinutes(5)));
        assertThat(v.isVerified()).as(v.describe()).isTrue();

        String serial = cert.serial().toString(16);
        assertThat(certUrl).isEqualTo(portal.url() + "certs/" + serial + ".cert");
        assertThat(browser.findElement(By.id("certificate")).getText()).contains(serial, cert.subjectKeyId().hex(),
                "valid_dest=127.0.0.0/8,::1", "max_socket_count=16", "max_exp_period=7200000000000 (2 hours)", "network lab, spring term");
        assertThat(browser.findElement(By.id("install-command")).getText())
                .isEqualTo("pktlab privileges add --name netlab --cert " + serial + ".cert --operator-key operator.pub");
        assertThat(browser.findElement(By.id("install-magic")).getText())
                .isEqualTo("%pktlab privileges add --name netlab --cert " + serial + ".cert --operator-key operator.pub");

        saveScreenshot(Path.of(System.getProperty("basedir", ".")).resolve("docs/images/portal.png"));
    }

    @Test
    @Order(2)
    void refusedUploadShowsTheReasonAndPagesFitAPhone() throws Exception {
        Path bogus = dir.resolve("photo.csr");
        Files.write(bogus, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10});
        browser.manage().window().setSize(new Dimension(375, 800));
        browser.get(portal.url().toString());
        assertThat(fitsTheWidth()).as("the form fits 375 px").isTrue();
        browser.findElement(By.id("csr_file")).sendKeys(bogus.toString());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.tagName("h1"), "400 Not a certificate request"));
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText()).contains("not a PKCS#10 certificate request");
        assertThat(fitsTheWidth()).as("the refusal fits 375 px").isTrue();

        browser.get(portal.url().toString());
        browser.findElement(By.id("csr_text")).sendKeys(Csr.exppriv().signWith(PortalFixture.key(6)).pem());
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.tagName("h1"), "Privilege granted"));
        assertThat(fitsTheWidth()).as("the result page, with its 64-digit key ids, fits 375 px").isTrue();
    }

    private static boolean fitsTheWidth() {
        Object fits = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;");
        return Boolean.TRUE.equals(fits);
    }

    /** The whole page: the window grows to the document's height first. */
    private static void saveScreenshot(Path target) throws IOException {
        Number height = (Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight;");
        browser.manage().window().setSize(new Dimension(900, Math.min(4000, height.intValue() + 140)));
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        Files.write(new File(System.getProperty("basedir", ".")).toPath().resolve("target/portal.png"), png);
    }
}
