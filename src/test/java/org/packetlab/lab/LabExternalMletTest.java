package org.packetlab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.packetlab.extmlet.ExitStatus;
import org.packetlab.extmlet.MletReport;
import org.packetlab.extmlet.TestMlets;
import org.packetlab.manager.EndpointRef;
import org.packetlab.manager.RunListener;
import org.packetlab.results.EndpointResult;
import org.packetlab.results.Results;

/** External (C) mlets in the local lab: what {@code %pktlab run PATH} builds on. */
@Timeout(60)
class LabExternalMletTest {

    @Test
    void anExecutableRunsOnEveryEndpointWithItsOutputPerEndpoint() throws Exception {
        try (Lab lab = Lab.local().endpoints(2).start()) {
            List<EndpointResult<? extends MletReport>> live = new CopyOnWriteArrayList<>();
            RunListener<MletReport> listener = new RunListener<>() {
                @Override
                public void mletFinished(EndpointRef endpoint, EndpointResult<? extends MletReport> result) {
                    live.add(result);
                }
            };
            Results<MletReport> r = lab.run(TestMlets.mlet("http_get", "127.0.0.1", "/index.html",
                    Integer.toString(lab.httpTarget().getPort())), listener);

            assertThat(r.values()).hasSize(2).allSatisfy(report -> {
                assertThat(report.exit()).contains(ExitStatus.exited(0));
                assertThat(report.output()).contains(HttpTarget.INDEX_PAGE).endsWith("(HTTP GET for 127.0.0.1/index.html via 127.0.0.1)\n");
            });
            assertThat(r).extracting(EndpointResult::hostId).containsExactlyInAnyOrderElementsOf(lab.hostIds());
            assertThat(live).hasSize(2);
            // the lab takes the next run, a Java mlet this time
            assertThat(lab.run(ep -> ep.hostId()).values()).containsExactlyInAnyOrderElementsOf(lab.hostIds());
        }
    }
}
