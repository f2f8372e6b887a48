package org.packetlab.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmark itself works: every byte reaches the sink through both paths (figures come from running it, not from here). */
@Timeout(60)
class ProxyBenchTest {
    @Test
    void benchmarkMovesEveryByteThroughBothPaths() throws Exception {
        ProxyBench.Figures f = ProxyBench.run(1 << 20, 1);
        assertThat(f.directMBps()).isPositive();
        assertThat(f.proxyMBps()).isPositive();
        assertThat(f.toString()).contains("ratio");
    }
}
