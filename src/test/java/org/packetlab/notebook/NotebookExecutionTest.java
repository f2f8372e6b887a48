package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Notebooks executed by real Jupyter ({@code jupyter nbconvert --execute}) on our kernel: the
 * kernel's own test notebook and every tutorial in {@code notebooks/}.
 */
@Timeout(600)
class NotebookExecutionTest {

    /** The kernel's own notebook, always run, so this test never passes on an empty folder. */
    static final Path TEST_NOTEBOOK = Path.of("src/test/resources/notebooks/kernel-basics.ipynb");
    /** The tutorials; each is executed when present. */
    static final Path TUTORIALS = Path.of("notebooks");

    @TempDir
    static Path jupyterPath;

    private static final Map<Path, JsonNode> executed = new ConcurrentHashMap<>();

    @BeforeAll
    static void installTestKernelspec() throws IOException {
        JupyterTool.writeTestKernelspec(jupyterPath, KernelSpec.DEFAULT_NAME);
    }

    static List<Path> notebooks() throws IOException {
        List<Path> all = new ArrayList<>(List.of(TEST_NOTEBOOK));
        if (Files.isDirectory(TUTORIALS)) {
            try (Stream<Path> files = Files.list(TUTORIALS)) {
                files.filter(p -> p.toString().endsWith(".ipynb")).sorted().forEach(all::add);
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void notebookRunsOnThePacketLabKernelWithoutErrors(Path notebook) throws Exception {
        JsonNode nb = execute(notebook);
        assertThat(nb.get("metadata").get("kernelspec").get("name").asText()).isEqualTo(KernelSpec.DEFAULT_NAME);
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("code")) {
                continue;
            }
            String source = text(cell.get("source"));
            assertThat(cell.get("execution_count").isNumber()).as("executed: %s", source).isTrue();
            if (!tags(cell).contains("raises-exception")) {
                assertThat(outputs(cell, "error")).as("errors of cell:%n%s%n%s", source, cell.get("outputs")).isEmpty();
            }
        }
    }

    @Test
    void testNotebookShowsStreamsValuesDisplaysAndMagics() throws Exception {
        JsonNode cells = execute(TEST_NOTEBOOK).get("cells");

        JsonNode twice = cells.get(1);
        assertThat(text(outputs(twice, "stream").get(0).get("text"))).isEqualTo("hello from java\n");
        assertThat(plain(outputs(twice, "execute_result").get(0))).isEqualTo("42");

        assertThat(plain(outputs(cells.get(2), "execute_result").get(0))).isEqualTo("Point[x=1, y=2]");

        JsonNode stderr = outputs(cells.get(3), "stream").get(0);
        assertThat(stderr.get("name").asText()).isEqualTo("stderr");
        assertThat(text(stderr.get("text"))).isEqualTo("to stderr\n");

        JsonNode display = cells.get(4);
        assertThat(plain(outputs(display, "display_data").get(0))).isEqualTo("shown first");
        assertThat(plain(outputs(display, "execute_result").get(0))).isEqualTo("last value");

        assertThat(plain(outputs(cells.get(5), "execute_result").get(0))).isEqualTo("NameValues");

        JsonNode help = outputs(cells.get(6), "execute_result").get(0);
        assertThat(text(help.get("data").get("text/html"))).contains("<table", "%pktlab help [NAME]");
        assertThat(plain(help)).startsWith("%pktlab help [NAME]");

        JsonNode usage = outputs(cells.get(7), "error").get(0);
        assertThat(usage.get("ename").asText()).isEqualTo("MagicUsageException");
        assertThat(usage.get("traceback")).extracting(JsonNode::asText)
                .containsExactly("help: expected at most one NAME, got 2 words", "usage: %pktlab help [NAME]");

        assertThat(plain(outputs(cells.get(8), "execute_result").get(0))).isEqualTo("still running");
    }

    @Test
    void firstLocalExperimentShowsTheLiveTableAndTheHttpBody() throws Exception {
        JsonNode nb = execute(TUTORIALS.resolve("01-first-local-experiment.ipynb"));
        JsonNode table = outputs(cell(nb, "%pktlab run HttpGet"), "display_data").get(0);
        assertThat(text(table.get("data").get("text/html"))).contains("<table", "<td>ep1</td>", "<td>ep2</td>", "<td>ep3</td>",
                "3 endpoints: 3 ok");
        assertThat(text(table.get("data").get("text/html"))).doesNotContain("running HttpGet");
        JsonNode page = outputs(cell(nb, "var page ="), "execute_result").get(0);
        assertThat(plain(page)).startsWith("HTTP/1.0 200 OK").contains("<h1>Hello from the PacketLab lab target</h1>");
        assertThat(text(page.get("data").get("text/html"))).startsWith("<pre class=\"pktlab-response\">HTTP/1.0 200 OK")
                .contains("&lt;h1&gt;Hello from the PacketLab lab target&lt;/h1&gt;").doesNotContain("<h1>");
        assertThat(text(outputs(cell(nb, "html(page)"), "execute_result").get(0).get("data").get("text/html")))
                .startsWith("<iframe class=\"pktlab-page\" sandbox=\"\" ")
                .endsWith(" srcdoc=\"&lt;html&gt;&lt;body&gt;&lt;h1&gt;Hello from the PacketLab lab target&lt;/h1&gt;&lt;/body&gt;"
                        + "&lt;/html&gt;\n\"></iframe>");
        assertThat(text(outputs(cell(nb, "%pktlab run Dns"), "display_data").get(0).get("data").get("text/html")))
                .contains("<td>ep3</td>", "3 endpoints: 3 ok");
        assertThat(plain(outputs(cell(nb, "Results<?> dns"), "execute_result").get(0))).isEqualTo("[/127.0.0.3]");
        assertThat(text(outputs(cell(nb, "dns.get(0).value()"), "execute_result").get(0).get("data").get("text/html")))
                .contains("<caption>pktlab.test from 127.", "<td>pktlab.test</td><td>A</td>", "<td>127.0.0.3</td>");
        assertThat(text(outputs(cell(nb, "Results<?> vmem"), "execute_result").get(0).get("data").get("text/html")))
                .contains("<caption>vmem of ep", "<tr><td>transports</td>", "<td>BufMax</td>");
    }

    @Test
    void privilegesNotebookSignsBobsRequestAndInstallsItAsAPrivilege() throws Exception {
        JsonNode nb = execute(TUTORIALS.resolve("02-privileges.ipynb"));
        assertThat(plain(outputs(cell(nb, "%pktlab init --home {bob}"), "execute_result").get(0))).startsWith("initialised ");
        assertThat(plain(outputs(cell(nb, "%pktlab sign"), "execute_result").get(0))).startsWith("signed ")
                .endsWith("bob-exppriv.cert");
        assertThat(plain(outputs(cell(nb, "%pktlab privileges add --home {bob} --name alice"), "execute_result").get(0)))
                .startsWith("installed privilege alice in ").endsWith("with operator key alice_k_eop.pub");
        JsonNode refused = outputs(cell(nb, "%pktlab privileges add --home {bob} --name wrong"), "error").get(0);
        assertThat(refused.get("ename").asText()).isEqualTo("MagicUsageException");
        assertThat(refused.get("traceback")).extracting(JsonNode::asText).hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith("privileges: refused: "))
                .satisfies(lines -> assertThat(lines.get(1)).startsWith("usage: %pktlab privileges add --name N"));
        String status = text(outputs(cell(nb, "%pktlab status --home {bob}"), "execute_result").get(0).get("data").get("text/html"));
        assertThat(status).contains("<td>k_exper</td>", "<td>alice_exppriv.cert</td>", "<td>privilege</td>")
                .doesNotContain("does not verify");
    }

    @Test
    void ownMletNotebookShowsOneConnectTimePerEndpoint() throws Exception {
        JsonNode nb = execute(TUTORIALS.resolve("03-your-own-mlet.ipynb"));
        String summary = text(outputs(cell(nb, "Results<?> r"), "execute_result").get(0).get("data").get("text/html"));
        assertThat(summary).contains("<th scope=\"col\">connect (ms)</th>", "<td>ep1</td>", "<td>ep2</td>", "<td>ep3</td>");
        assertThat(plain(outputs(cell(nb, "%pktlab run connect"), "display_data").get(0))).startsWith("3 endpoints: 3 ok");
    }

    @Test
    void analysisNotebookShowsStatisticsChartAndCsv() throws Exception {
        JsonNode nb = execute(TUTORIALS.resolve("04-analysing-results.ipynb"));
        assertThat(plain(outputs(cell(nb, "Results<?> r"), "execute_result").get(0)))
                .contains("hostid", "mean", "ep1     5", "ep2     5", "ep3     5");
        assertThat(text(outputs(cell(nb, "double top"), "execute_result").get(0).get("data").get("text/html")))
                .startsWith("<svg").contains(">ep1</text>", ">ep3</text>");
        assertThat(plain(outputs(cell(nb, "r.toCsv()"), "execute_result").get(0)))
                .startsWith("[endpoint,hostid,status,start,end,duration_ms,value,error");
    }

    @Test
    void externalExperimentNotebookRunsBobsProxyModeManagerOnAlicesEndpointsThroughTheProxy() throws Exception {
        JsonNode nb = execute(TUTORIALS.resolve("05-external-experiment.ipynb"));
        assertThat(plain(outputs(cell(nb, "%pktlab sign"), "execute_result").get(0))).startsWith("signed ");
        assertThat(plain(outputs(cell(nb, "%pktlab privileges add --home {bob}"), "execute_result").get(0)))
                .contains("installed privilege alice in ");
        String registered = plain(outputs(cell(nb, "%pktlab proxy --home {bob}"), "execute_result").get(0));
        Matcher m = Pattern.compile("manager in proxy mode, registered with the proxy at 127\\.0\\.0\\.1:(\\d+) for 2 endpoints;"
                + " snikeys [0-9a-z, ]+").matcher(registered);
        assertThat(m.find()).as(registered).isTrue();
        String proxySetup = "127.0.0.1:" + m.group(1);
        String table = text(outputs(cell(nb, "%pktlab run HttpGet"), "display_data").get(0).get("data").get("text/html"));
        assertThat(table).contains("<table", "<td>ep1</td>", "<td>ep2</td>", "2 endpoints: 2 ok", "HTTP/1.0 200 OK");
        assertThat(plain(outputs(cell(nb, "Results<?> external"), "execute_result").get(0))).contains("2 endpoints: 2 ok");
        // every session reached Bob's manager from the proxy (EPADDR is the proxy's, spec/agents.md §A.7.6)
        assertThat(plain(outputs(cell(nb, "external.stream()"), "execute_result").get(0)))
                .contains("ep1 via " + proxySetup, "ep2 via " + proxySetup);
        assertThat(plain(outputs(cell(nb, "%pktlab stop"), "execute_result").get(0))).contains("lab stopped, manager stopped");
    }

    /** The first code cell whose source starts with {@code start}. */
    private static JsonNode cell(JsonNode nb, String start) {
        for (JsonNode cell : nb.get("cells")) {
            if (cell.get("cell_type").asText().equals("code") && text(cell.get("source")).startsWith(start)) {
                return cell;
            }
        }
        throw new AssertionError("no code cell starting with " + start);
    }

    /** The notebook as {@code jupyter nbconvert --execute} leaves it (run once per notebook). */
    private static JsonNode execute(Path notebook) throws Exception {
        JsonNode nb = executed.get(notebook);
        if (nb != null) {
            return nb;
        }
        Path outDir = jupyterPath.resolve("executed");
        Files.createDirectories(outDir);
        String name = notebook.getFileName().toString();
        JupyterTool.Result result = JupyterTool.run(jupyterPath, 300, "nbconvert", "--to", "notebook", "--execute",
                "--allow-errors", "--ExecutePreprocessor.timeout=120", "--ExecutePreprocessor.startup_timeout=90",
                "--output-dir", outDir.toString(), "--output", name, notebook.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        nb = new ObjectMapper().readTree(outDir.resolve(name).toFile());
        executed.put(notebook, nb);
        return nb;
    }

    private static List<JsonNode> outputs(JsonNode cell, String type) {
        List<JsonNode> found = new ArrayList<>();
        cell.get("outputs").forEach(o -> {
            if (o.get("output_type").asText().equals(type)) {
                found.add(o);
            }
        });
        return found;
    }

    private static List<String> tags(JsonNode cell) {
        List<String> tags = new ArrayList<>();
        JsonNode t = cell.get("metadata").get("tags");
        if (t != null) {
            t.forEach(x -> tags.add(x.asText()));
        }
        return tags;
    }

    private static String plain(JsonNode output) {
        return text(output.get("data").get("text/plain"));
    }

    /** nbformat stores multi-line text as a list of lines or as one string. */
    private static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder sb = new StringBuilder();
            node.forEach(l -> sb.append(l.asText()));
            return sb.toString();
        }
        return node.asText();
    }
}
