package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.dns.DnsMessage;
import org.packetlab.dns.DnsRecord;
import org.packetlab.examples.Dns;
import org.packetlab.examples.HttpGet;
import org.packetlab.examples.VmemDump;
import org.packetlab.lab.Lab;
import org.packetlab.notebook.magic.MagicUsageException;
import org.packetlab.notebook.magic.MletMagic;
import org.packetlab.ppks.Ed25519PublicKey;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;
import org.packetlab.results.Table;
import org.packetlab.wire.Proto;

/** The {@code %pktlab} sub-magics and {@code %%mlet} driven through the kernel in this JVM: arguments, errors, values. */
@Timeout(60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MagicsTest {

    @RegisterExtension
    static final InProcessKernel started = new InProcessKernel();

    private final PktlabKernel kernel = started.get();

    @Test
    void labRejectsBadEndpointCountsAndUnknownWords() {
        MagicUsageException notNumber = started.usageError("%pktlab lab start --endpoints many");
        assertThat(notNumber.getMessage()).isEqualTo("lab: --endpoints wants a number, got 'many'");
        assertThat(notNumber.usage()).isEqualTo("usage: %pktlab lab start [--endpoints N] [--home DIR] [--broker] [--proxy] | stop");
        assertThat(started.usageError("%pktlab lab start --endpoints 0").getMessage())
                .isEqualTo("lab: --endpoints must be between 1 and 1000, got 0");
        assertThat(started.usageError("%pktlab lab start --endpoints").getMessage()).isEqualTo("lab: --endpoints needs a value");
        assertThat(started.usageError("%pktlab lab go").getMessage()).isEqualTo("lab: expected start or stop, got 'go'");
        assertThat(started.usageError("%pktlab lab").getMessage()).isEqualTo("lab: missing start or stop");
        assertThat(started.usageError("%pktlab lab stop").getMessage()).isEqualTo("lab: no lab is running");
    }

    @Test
    @Order(1) // "nothing has run yet": before the tests that run experiments in the shared kernel
    void runAndResultsSayWhatIsMissing() {
        assertThat(started.usageError("%pktlab run").getMessage()).isEqualTo("run: missing MLET");
        assertThat(started.usageError("%pktlab run HttpGet").getMessage())
                .isEqualTo("run: nothing to run on; %pktlab lab start, %pktlab listen or %pktlab proxy first");
        assertThat(started.usageError("%pktlab results").getMessage()).isEqualTo("results: nothing has run yet; %pktlab run MLET first");
        assertThat(started.usageError("%pktlab results now").getMessage()).isEqualTo("results: unexpected 'now'");
        assertThat(kernel.evalRaw("%pktlab stop")).isEqualTo("nothing was running");
    }

    @Test
    void initCreatesAHomeThatStatusShowsAsATable(@TempDir Path dir) {
        Path home = dir.resolve("home");
        assertThat((String) kernel.evalRaw("%pktlab init --home " + home)).startsWith("initialised " + home + ": ");
        MagicUsageException again = started.usageError("%pktlab init --home " + home);
        assertThat(again.getMessage()).startsWith("init: ").endsWith(" exists; add --force to replace the home's files");
        assertThat(started.usageError("%pktlab init --fast").getMessage()).isEqualTo("init: unknown option --fast");

        Table status = (Table) kernel.evalRaw("%pktlab status");
        assertThat(status.columns()).containsExactly("kind", "name", "key id", "type", "valid from", "valid until", "state");
        assertThat(status.rows()).extracting(r -> r.get(1)).contains("k_exper", "exppriv_eop_exper.cert");
        assertThat(status.rows()).extracting(r -> r.get(6)).containsOnly("ok");
        assertThat(started.usageError("%pktlab status --home " + dir.resolve("none")).getMessage())
                .isEqualTo("status: " + dir.resolve("none") + " is not a PacketLab home; %pktlab init --home DIR first");
    }

    @Test
    void listenChecksItsOptionsAndStartsTheHomesManager(@TempDir Path dir) {
        assertThat(started.usageError("%pktlab listen -n 0").getMessage()).isEqualTo("listen: -n must be between 1 and 2147483647, got 0");
        assertThat(started.usageError("%pktlab listen --address nowhere").getMessage())
                .isEqualTo("listen: --address wants HOST:PORT, got 'nowhere'");
        assertThat(started.usageError("%pktlab listen --address 127.0.0.1:70000").getMessage())
                .isEqualTo("listen: port must be between 0 and 65535, got 70000");
        assertThat(started.usageError("%pktlab listen --address [::zz]:0").getMessage()).startsWith("listen: bad --address: ");
        MagicUsageException notAHome = started.usageError("%pktlab listen --address 127.0.0.1:0 --home " + dir.resolve("none"));
        assertThat(notAHome.getMessage()).isEqualTo("listen: " + dir.resolve("none") + " is not a PacketLab home; %pktlab init --home DIR first");
        assertThat(notAHome.usage()).isEqualTo("usage: %pktlab listen [--address A:P] [--publish A:P] [--home DIR] [--hostid GLOB] [-n N]");
        kernel.evalRaw("%pktlab init --home " + dir);
        assertThat((String) kernel.evalRaw("%pktlab listen --address 127.0.0.1:0 --hostid ep* -n 2"))
                .matches("manager listening on /127\\.0\\.0\\.1:\\d+ for 2 endpoints");
        assertThat(started.usageError("%pktlab listen --address 127.0.0.1:0").getMessage())
                .isEqualTo("listen: a lab or manager is already running; %pktlab stop first");
        assertThat(kernel.evalRaw("%pktlab stop")).isEqualTo("manager stopped");
    }

    @Test
    void proxyNeedsAProxyAndRegistersTheHomesManagerWithTheLabsProxy(@TempDir Path dir) {
        assertThat(started.usageError("%pktlab proxy").getMessage())
                .isEqualTo("proxy: which proxy? --address A:P, or a lab with one: %pktlab lab start --proxy");
        assertThat(started.usageError("%pktlab proxy --address [::1]").getMessage()).startsWith("proxy: bad --address: ");
        assertThat(started.usageError("%pktlab proxy --now").usage())
                .isEqualTo("usage: %pktlab proxy [--address A:P] [--home DIR] [--hostid GLOB] [-n N]");
        kernel.evalRaw("%pktlab init --home " + dir.resolve("home"));
        Lab lab = (Lab) kernel.evalRaw("%pktlab lab start --home " + dir.resolve("home") + " --endpoints 2 --proxy");
        int setupPort = lab.proxy().orElseThrow().setupAddress().getPort();

        assertThat((String) kernel.evalRaw("%pktlab proxy"))
                .matches("manager in proxy mode, registered with the proxy at 127\\.0\\.0\\.1:" + setupPort
                        + " for 2 endpoints; snikeys [0-9a-z]{63}");
        assertThat(started.usageError("%pktlab proxy").getMessage()).isEqualTo("proxy: a manager is already running; %pktlab stop first");
        assertThat(kernel.evalRaw("%pktlab stop")).isEqualTo("lab stopped, manager stopped");
    }

    @Test
    void interruptCancelsTheProxyModeRunAndItsManagerRunsAgain(@TempDir Path dir) throws Exception {
        kernel.evalRaw("%pktlab init --home " + dir.resolve("home"));
        kernel.evalRaw("%pktlab lab start --home " + dir.resolve("home") + " --endpoints 2 --proxy");
        kernel.evalRaw("%pktlab proxy");
        try {
            kernel.eval("%%mlet proxySleeper\norg.packetlab.notebook.CellSignals.running.countDown();\nThread.sleep(60_000);\nreturn 1;");
            CellSignals.running = new CountDownLatch(2);
            CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> kernel.evalRaw("%pktlab run proxySleeper"));
            assertThat(CellSignals.running.await(20, TimeUnit.SECONDS)).as("both endpoints run the mlet").isTrue();
            kernel.interrupt();
            // the mlets sleep 60 s; cancelling the run ends them at once
            Throwable e = catchThrowable(() -> cell.get(10, TimeUnit.SECONDS));
            assertThat(e).hasCauseInstanceOf(CellFailure.Interrupted.class);
            assertThat(kernel.formatError(e.getCause())).containsExactly("Interrupted: the cell was stopped");

            // the cancelled run is over once its cell has failed: the same manager serves the lab's endpoints again
            kernel.evalRaw("%pktlab run HttpGet $http /index.html");
            Results<?> again = (Results<?>) kernel.evalRaw("%pktlab results");
            assertThat(again).hasSize(2).allSatisfy(r -> assertThat(r.isOk()).as(r.toString()).isTrue());
        } finally {
            kernel.evalRaw("%pktlab stop");
        }
    }

    @Test
    void proxyModeManagerWithoutThePrivilegeOfTheLabsOperatorIsOneUsageLine(@TempDir Path dir) {
        kernel.evalRaw("%pktlab init --home " + dir.resolve("alice"));
        kernel.evalRaw("%pktlab init --home " + dir.resolve("bob"));
        kernel.evalRaw("%pktlab lab start --home " + dir.resolve("alice") + " --endpoints 2 --proxy");
        try {
            kernel.evalRaw("%pktlab proxy --home " + dir.resolve("bob"));
            MagicUsageException refused = started.usageError("%pktlab run HttpGet $http /index.html");
            assertThat(refused.getMessage())
                    .matches("run: the manager holds no privilege from this lab's endpoint operator \\(key id [0-9a-f]{64}\\)");
            assertThat(refused.usage()).isEqualTo("usage: %pktlab run [-s] MLET [ARGS...]");
        } finally {
            kernel.evalRaw("%pktlab stop");
        }
    }

    @Test
    void labWithABrokerRunsThroughThePublishedExperiment(@TempDir Path dir) throws Exception {
        Lab lab = (Lab) kernel.evalRaw("%pktlab lab start --home " + dir.resolve("home") + " --endpoints 2 --broker");
        try {
            assertThat(lab.broker()).isPresent();
            kernel.evalRaw("%pktlab run VmemDump");
            Results<?> results = (Results<?>) kernel.evalRaw("%pktlab results");
            assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.isOk()).as(r.toString()).isTrue());
            assertThat(results).extracting(EndpointResult::hostId).containsExactlyInAnyOrder("ep1", "ep2");
        } finally {
            kernel.evalRaw("%pktlab lab stop");
        }
    }

    @Test
    void signedExpprivInstallsInAnotherHomeAndAWrongKeyIsRefused(@TempDir Path dir) throws Exception {
        kernel.evalRaw("Path signTmp = Path.of(" + PktlabMagicTranspiler.javaString(dir.toString()) + ");");
        kernel.evalRaw("%pktlab init --home {signTmp}/bob");
        kernel.evalRaw("%pktlab init --home {signTmp}/alice");
        assertThat(started.usageError("%pktlab sign --key k_eop --out x").getMessage()).isEqualTo("sign: --csr is required");
        assertThat((String) kernel.evalRaw("%pktlab sign --csr {signTmp}/bob/csrs/exppriv_exper.csr --key k_eop --days 2 --out {signTmp}/g.cert"))
                .startsWith("signed ").endsWith(dir.resolve("g.cert").toString());
        assertThat((String) kernel.evalRaw("%pktlab privileges add --home {signTmp}/bob --name alice --cert {signTmp}/g.cert"
                + " --operator-key {signTmp}/alice/keys/k_eop.pub")).startsWith("installed privilege alice in " + dir.resolve("bob"));
        assertThat(started.usageError("%pktlab privileges add --home " + dir.resolve("bob") + " --name wrong --cert " + dir.resolve("g.cert")
                + " --operator-key " + dir.resolve("bob/keys/k_eop.pub")).getMessage()).startsWith("privileges: refused: ");
        assertThat(started.usageError("%pktlab privileges add --name x").getMessage()).isEqualTo("privileges: --cert is required");
        assertThat(started.usageError("%pktlab privileges remove").getMessage()).isEqualTo("privileges: expected add, got 'remove'");
        // a privilege row: kind, snikey (random here), the granting operator's key id, type, validity, state
        String aliceOperator = Ed25519PublicKey.read(dir.resolve("alice/keys/k_eop.pub")).keyId().hex();
        Table bob = (Table) kernel.evalRaw("%pktlab status --home {signTmp}/bob");
        assertThat(bob.rows()).filteredOn(r -> r.get(0).equals("privilege")).hasSize(2)
                .anySatisfy(r -> assertThat(r).containsExactly("privilege", "(random snikey)", aliceOperator, "exppriv",
                        r.get(4), r.get(5), "ok"))
                .allSatisfy(r -> assertThat(r.get(6)).isEqualTo("ok"));
    }

    @Test
    void signAndPrivilegesNameTheMissingHomeFileOrKeyInOneLine(@TempDir Path dir) {
        Path home = dir.resolve("home");
        kernel.evalRaw("%pktlab init --home " + home);
        String csr = " --csr " + home.resolve("csrs/exppriv_exper.csr");
        Path out = dir.resolve("granted.cert");
        assertThat(started.usageError("%pktlab sign" + csr + " --key k_eop --out " + out + " --home " + dir.resolve("none"))
                .getMessage()).isEqualTo("sign: " + dir.resolve("none") + " is not a PacketLab home; %pktlab init --home DIR first");
        assertThat(started.usageError("%pktlab sign --csr " + dir.resolve("no.csr") + " --key k_eop --out " + out + " --home " + home)
                .getMessage()).isEqualTo("sign: " + dir.resolve("no.csr") + " does not exist");
        MagicUsageException noKey = started.usageError("%pktlab sign" + csr + " --key k_nope --out " + out + " --home " + home);
        assertThat(noKey.getMessage()).startsWith("sign: " + home + " has no key k_nope (" + home.resolve("keys"));
        assertThat(noKey.usage()).isEqualTo("usage: %pktlab sign --csr F --key NAME --out F [--days N] [--home DIR]");
        kernel.evalRaw("%pktlab sign" + csr + " --key k_eop --out " + out + " --home " + home);
        assertThat(started.usageError("%pktlab sign" + csr + " --key k_eop --out " + out + " --home " + home).getMessage())
                .isEqualTo("sign: " + out + " exists; choose another --out");

        String operatorKey = " --operator-key " + home.resolve("keys/k_eop.pub");
        assertThat(started.usageError("%pktlab privileges add --home " + home + " --name x --cert " + dir.resolve("no.cert") + operatorKey)
                .getMessage()).isEqualTo("privileges: " + dir.resolve("no.cert") + " does not exist");
        MagicUsageException badName = started.usageError("%pktlab privileges add --home " + home + " --name a/b --cert " + out + operatorKey);
        assertThat(badName.getMessage()).isEqualTo("privileges: privilege name \"a/b\": use 1-64 letters, digits, '_' or '-'");
        assertThat(badName.usage()).isEqualTo("usage: %pktlab privileges add --name N --cert F --operator-key F [--home DIR]");
    }

    @Test
    void mletCellMagicChecksItsLineAndDefinesAnMletFromTheBody() {
        MagicUsageException missing = started.usageError("%%mlet\nreturn 1;");
        assertThat(missing.getMessage()).isEqualTo("mlet: missing NAME");
        assertThat(missing.usage()).startsWith("usage: %%mlet NAME [--run]");
        assertThat(started.usageError("%%mlet a --now\nreturn 1;").getMessage()).isEqualTo("mlet: unknown option --now");
        assertThat(started.usageError("%%mlet a b\nreturn 1;").getMessage()).isEqualTo("mlet: unexpected 'b'");

        kernel.eval("%%mlet answer\nint x = 40;\nreturn x + 2;");
        assertThat(MletMagic.defined("answer")).isPresent();
        assertThat(kernel.evalRaw("MletMagic.defined(\"answer\").get().run(null)")).isEqualTo(42);
        assertThat(started.usageError("%%mlet answer --run\nreturn 1;").getMessage())
                .isEqualTo("run: nothing to run on; %pktlab lab start, %pktlab listen or %pktlab proxy first");
    }

    @Test
    void resultsRenderAsAnEscapedHtmlTableWithTheSummaryLine() {
        InetSocketAddress ep = new InetSocketAddress("127.0.0.1", 4000);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Results<String> results = Results.of(List.of(EndpointResult.ok(ep, "ep<1>", t, t.plusMillis(5), "<script>x</script>")));
        DisplayData shown = kernel.getRenderer().render(results);
        String html = (String) shown.getData(MIMEType.TEXT_HTML);
        assertThat(html).contains("<td>ep&lt;1&gt;</td>", "&lt;script&gt;x&lt;/script&gt;", "<p>1 endpoint: 1 ok")
                .doesNotContain("<script>", "ep<1>");
        assertThat((String) shown.getData(MIMEType.TEXT_PLAIN)).contains("ep<1>");
    }

    @Test
    void httpResponseIsEscapedTextAndItsPageRendersOnlyInASandboxedFrame() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        byte[] page = "<html><script>alert(1)</script><p title=\"x\">hi</p></html>".getBytes(StandardCharsets.ISO_8859_1);
        HttpGet.Result response = new HttpGet.Result(new InetSocketAddress("127.0.0.1", 8080), "/", "HTTP/1.0 200 OK",
                List.of("Content-Type: text/html"), page, t, t.plusMillis(2), Duration.ofMillis(3));
        DisplayData shown = kernel.getRenderer().render(response);
        assertThat((String) shown.getData(MIMEType.TEXT_HTML)).isEqualTo("<pre class=\"pktlab-response\">HTTP/1.0 200 OK\r\n"
                + "Content-Type: text/html\r\n\r\n&lt;html&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;p title=&quot;x&quot;&gt;hi"
                + "&lt;/p&gt;&lt;/html&gt;</pre>");
        assertThat((String) shown.getData(MIMEType.TEXT_PLAIN)).isEqualTo(response.response());

        kernel.evalRaw("HttpGet.Result fetched = new HttpGet.Result(new InetSocketAddress(\"127.0.0.1\", 8080), \"/\","
                + " \"HTTP/1.0 200 OK\", List.of(), \"<b onclick='x()'>&amp;</b>\".getBytes(), Instant.EPOCH, Instant.EPOCH, Duration.ZERO);");
        DisplayData rendered = kernel.eval("html(fetched)");
        assertThat((String) rendered.getData(MIMEType.TEXT_HTML)).startsWith("<iframe class=\"pktlab-page\" sandbox=\"\" ")
                .endsWith(" srcdoc=\"&lt;b onclick=&#39;x()&#39;&gt;&amp;amp;&lt;/b&gt;\"></iframe>");
    }

    @Test
    void dnsAnswersAndAVmemDumpRenderAsTables() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        InetAddress resolver = InetAddress.getByName("127.0.0.1");
        Dns.Result dns = new Dns.Result("pktlab.test", resolver, DnsMessage.NOERROR,
                List.of(DnsRecord.address("pktlab.test", 60, InetAddress.getByName("127.0.0.3")),
                        new DnsRecord.Cname("www.pktlab.test", 30, "pktlab.test")), t, t.plusMillis(1), Duration.ofMillis(2));
        DisplayData answers = kernel.getRenderer().render(dns);
        assertThat((String) answers.getData(MIMEType.TEXT_HTML)).contains("<caption>pktlab.test from 127.0.0.1</caption>",
                "<th scope=\"col\">TTL</th>", "<tr><td>pktlab.test</td><td>A</td><td>60</td><td>127.0.0.3</td></tr>",
                "<tr><td>www.pktlab.test</td><td>CNAME</td><td>30</td><td>pktlab.test</td></tr>");
        assertThat((String) answers.getData(MIMEType.TEXT_PLAIN)).contains("pktlab.test", "127.0.0.3").doesNotContain("Result[");

        VmemDump.Result vmem = new VmemDump.Result("ep<1>", t, Set.of(Proto.TCP, Proto.UDP), 8192, 100,
                List.of(), List.of(resolver), List.of());
        String html = (String) kernel.getRenderer().render(vmem).getData(MIMEType.TEXT_HTML);
        assertThat(html).contains("<caption>vmem of ep&lt;1&gt;</caption>", "<tr><td>BufMax</td><td>8192</td></tr>",
                "<tr><td>transports</td><td>TCP UDP</td></tr>", "<tr><td>DNS servers</td><td>127.0.0.1</td></tr>");
    }

    @Test
    void textIsShownEscapedAndHtmlOnlyOnRequest() {
        DisplayData text = kernel.eval("\"<b>bold</b>\"");
        assertThat(text.getData(MIMEType.TEXT_HTML)).isNull();
        DisplayData html = kernel.eval("html(\"<b>bold</b>\")");
        assertThat(html.getData(MIMEType.TEXT_HTML)).isEqualTo("<b>bold</b>");
    }
}
