package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.extmlet.TestMlets;

/**
 * The kernel as a separate process driven over the Jupyter protocol by jupyter_client
 * ({@code kernel_protocol.py}): kernel_info, execute, errors, complete, is_complete, interrupt,
 * live results of a lab run (external C mlets among them), an interrupted experiment, shutdown.
 * One kernel session; each test checks one part of its report.
 */
@Timeout(240)
class KernelProtocolTest {

    @TempDir
    static Path jupyterPath;

    private static JsonNode report;

    @BeforeAll
    static void driveOneKernelSession() throws Exception {
        JupyterTool.writeTestKernelspec(jupyterPath, "pktlab");
        Path script = jupyterPath.resolve("kernel_protocol.py");
        try (InputStream in = KernelProtocolTest.class.getResourceAsStream("kernel_protocol.py")) {
            Files.write(script, in.readAllBytes());
        }
        String httpGet = TestMlets.path("http_get").toString();
        String singleton = TestMlets.path("singleton").toString();
        JupyterTool.Result result = JupyterTool.python(jupyterPath, 200, script, "pktlab", httpGet, singleton);
        assertThat(result.exitCode()).as(result.output()).isZero();
        String last = result.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        report = new ObjectMapper().readTree(last);
    }

    @Test
    void kernelInfoReplyIsCompleteAndOk() {
        JsonNode info = report.get("kernel_info");
        assertThat(info.get("status").asText()).isEqualTo("ok");
        assertThat(info.get("protocol_version").asText()).startsWith("5.");
        assertThat(info.get("implementation").asText()).isEqualTo("pktlab");
        assertThat(info.get("language_info").get("name").asText()).isEqualTo("java");
        assertThat(info.get("language_info").get("file_extension").asText()).isEqualTo(".jshell");
        assertThat(info.get("banner").asText()).contains("java");
    }

    @Test
    void executeStreamsOutputAndShowsTheValue() {
        JsonNode execute = report.get("execute");
        assertThat(execute.get("reply").get("status").asText()).isEqualTo("ok");
        assertThat(outputs(execute, "stream")).anySatisfy(o -> {
            assertThat(o.get("name").asText()).isEqualTo("stdout");
            assertThat(o.get("text").asText()).isEqualTo("out line\n");
        });
        assertThat(outputs(execute, "execute_result")).singleElement()
                .satisfies(o -> assertThat(o.get("data").get("text/plain").asText()).isEqualTo("42"));
    }

    @Test
    void compileErrorIsAReadableErrorReply() {
        JsonNode failed = report.get("compile_error");
        assertThat(failed.get("reply").get("status").asText()).isEqualTo("error");
        JsonNode error = outputs(failed, "error").get(0);
        assertThat(error.get("ename").asText()).isEqualTo("CompileError");
        assertThat(error.get("evalue").asText()).isEqualTo("cannot find symbol");
        assertThat(error.get("traceback").get(0).asText()).isEqualTo("CompileError: cannot find symbol (line 1)");
    }

    @Test
    void runtimeErrorNamesTheExceptionAndTracesOnlyTheCell() {
        JsonNode failed = report.get("runtime_error");
        assertThat(failed.get("reply").get("status").asText()).isEqualTo("error");
        JsonNode error = outputs(failed, "error").get(0);
        assertThat(error.get("ename").asText()).isEqualTo("NumberFormatException");
        assertThat(error.get("evalue").asText()).isEqualTo("For input string: \"x\"");
        List<String> traceback = new ArrayList<>();
        error.get("traceback").forEach(l -> traceback.add(l.asText()));
        assertThat(traceback).hasSizeLessThanOrEqualTo(4).noneMatch(l -> l.contains("jshell") || l.contains("dflib"));
    }

    @Test
    void completionOfStrOffersString() {
        JsonNode complete = report.get("complete");
        assertThat(complete.get("status").asText()).isEqualTo("ok");
        List<String> matches = new ArrayList<>();
        complete.get("matches").forEach(m -> matches.add(m.asText()));
        assertThat(matches).contains("String");
        assertThat(complete.get("cursor_start").asInt()).isZero();
        assertThat(complete.get("cursor_end").asInt()).isEqualTo(3);
    }

    @Test
    void isCompleteTellsUnfinishedCode() {
        assertThat(report.get("is_complete").get("int x =").get("status").asText()).isEqualTo("incomplete");
        assertThat(report.get("is_complete").get("int x = 1;").get("status").asText()).isEqualTo("complete");
    }

    @Test
    void interruptEndsASleepingCellPromptlyAndTheKernelLivesOn() {
        JsonNode interrupt = report.get("interrupt");
        assertThat(interrupt.get("reply").get("status").asText()).isEqualTo("error");
        assertThat(interrupt.get("reply").get("ename").asText()).isEqualTo("Interrupted");
        // the 60 s sleep ends at once; the bound leaves room for compiling on a loaded machine
        assertThat(interrupt.get("seconds").asDouble()).isLessThan(15.0);
        JsonNode after = report.get("after_interrupt");
        assertThat(outputs(after, "execute_result").get(0).get("data").get("text/plain").asText())
                .isEqualTo("alive after interrupt");
    }

    @Test
    void externalMletsStdoutFillsTheLiveTableOneRowPerEndpoint() {
        JsonNode run = report.get("external_run");
        assertThat(run.get("reply").get("status").asText()).as(run.toString()).isEqualTo("ok");
        JsonNode first = outputs(run, "display_data").get(0);
        assertThat(first.get("data").get("text/plain").asText()).startsWith("running http_get: 0 of 2 endpoints reported");
        String displayId = first.get("transient").get("display_id").asText();
        List<JsonNode> updates = outputs(run, "update_display_data");
        assertThat(updates).isNotEmpty().allSatisfy(u -> assertThat(u.get("transient").get("display_id").asText()).isEqualTo(displayId));
        String last = updates.get(updates.size() - 1).get("data").get("text/html").asText();
        assertThat(last).contains("<td>ep1</td>", "<td>ep2</td>", "<p>2 endpoints: 2 ok").doesNotContain("running http_get");
        assertThat(last.split("<td>HTTP/1.0 200 OK \u23ce ", -1)).as("one stdout cell per endpoint").hasSize(3);
        JsonNode values = outputs(report.get("external_values"), "execute_result").get(0);
        assertThat(values.get("data").get("text/plain").asText()).isEqualTo("[HTTP/1.0 200 OK, HTTP/1.0 200 OK]");
    }

    @Test
    void singletonModeServesEveryEndpointFromOneProcess() {
        JsonNode run = report.get("singleton_run");
        assertThat(run.get("reply").get("status").asText()).as(run.toString()).isEqualTo("ok");
        List<JsonNode> updates = outputs(run, "update_display_data");
        String last = updates.get(updates.size() - 1).get("data").get("text/html").asText();
        assertThat(last).contains("<td>ep1</td>", "<td>ep2</td>", "served by the singleton mlet", "<p>2 endpoints: 2 ok");
    }

    @Test
    void interruptCancelsTheRunningExperimentAndTheLabRunsAgain() {
        JsonNode interrupted = report.get("interrupted_run");
        assertThat(interrupted.get("reply").get("status").asText()).isEqualTo("error");
        assertThat(interrupted.get("reply").get("ename").asText()).isEqualTo("Interrupted");
        // the mlets sleep 60 s; cancelling the run ends them at once
        assertThat(interrupted.get("seconds").asDouble()).isLessThan(15.0);
        JsonNode again = report.get("run_after_interrupt");
        assertThat(again.get("reply").get("status").asText()).as(again.toString()).isEqualTo("ok");
        List<JsonNode> updates = outputs(again, "update_display_data");
        assertThat(updates.get(updates.size() - 1).get("data").get("text/plain").asText()).startsWith("2 endpoints: 2 ok");
    }

    @Test
    void shutdownEndsTheKernelProcess() {
        assertThat(report.get("shutdown").get("alive").asBoolean()).isFalse();
        assertThat(report.get("shutdown").get("seconds").asDouble()).isLessThan(10.0);
    }

    private static List<JsonNode> outputs(JsonNode cell, String type) {
        List<JsonNode> found = new ArrayList<>();
        cell.get("outputs").forEach(o -> {
            if (o.get("type").asText().equals(type)) {
                found.add(o.get("content"));
            }
        });
        return found;
    }
}
