package org.packetlab.notebook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.packetlab.extmlet.MletReport;
import org.packetlab.extmlet.TestMlets;
import org.packetlab.lab.Lab;
import org.packetlab.notebook.magic.MagicUsageException;
import org.packetlab.results.Results;

/**
 * {@code %pktlab run PATH}: an external mlet (a C mlet compiled by gcc) run from a kernel in this
 * JVM on a lab, its file checked first. A kernel of its own, so the results it leaves are no other
 * test's "last results".
 */
@Timeout(90)
class ExternalMletMagicTest {

    @RegisterExtension
    static final InProcessKernel started = new InProcessKernel();

    private final PktlabKernel kernel = started.get();

    @Test
    void runOfAnExecutableChecksTheFileAndGivesEachEndpointsStdout(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("plain.txt"), "not a program");
        Path httpGet = TestMlets.path("http_get");
        Lab lab = (Lab) kernel.evalRaw("%pktlab lab start --endpoints 2");
        try {
            assertThat(started.usageError("%pktlab run " + dir.resolve("missing")).getMessage())
                    .isEqualTo("run: mlet " + dir.resolve("missing") + " does not exist");
            assertThat(started.usageError("%pktlab run " + notExecutable).getMessage()).startsWith("run: mlet " + notExecutable + " is not executable");
            MagicUsageException singletonJava = started.usageError("%pktlab run -s HttpGet $http /");
            assertThat(singletonJava.getMessage()).isEqualTo("run: -s (singleton mode) is for external mlets: give the path of an executable");
            assertThat(singletonJava.usage()).isEqualTo("usage: %pktlab run [-s] MLET [ARGS...]");

            kernel.evalRaw("%pktlab run " + httpGet + " 127.0.0.1 /index.html " + lab.httpTarget().getPort());
            @SuppressWarnings("unchecked")
            Results<MletReport> results = (Results<MletReport>) kernel.evalRaw("%pktlab results");
            assertThat(results).hasSize(2).allSatisfy(r -> {
                assertThat(r.isOk()).as(r.toString()).isTrue();
                assertThat(r.value().mlet()).isEqualTo("http_get");
                assertThat(r.value().output()).startsWith("HTTP/1.0 200 OK\r\n").contains("Hello from the PacketLab lab target");
            });
            assertThat(results.table().rows()).extracting(row -> row.get(row.size() - 1))
                    .allSatisfy(cell -> assertThat(cell).startsWith("HTTP/1.0 200 OK \u23ce "));
        } finally {
            kernel.evalRaw("%pktlab stop");
        }
    }
}
