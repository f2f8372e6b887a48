package org.packetlab.bench;

import java.util.Objects;

/**
 * One benchmark figure: our value, the baseline measured in the same run, and the target on their
 * ratio. {@code baseline} is NaN when the figure has no same-run baseline (then the ratio is NaN).
 *
 * @param name what was measured
 * @param unit the unit of {@code ours} and {@code baseline}
 * @param ours our value
 * @param baseline the baseline's value, or NaN
 * @param baselineName what the baseline is
 * @param target the target, as text
 * @param higherIsBetter whether a larger value is better (MB/s) or worse (µs)
 */
public record Figure(String name, String unit, double ours, double baseline, String baselineName, String target,
                     boolean higherIsBetter) {
    public Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(baselineName, "baselineName");
        Objects.requireNonNull(target, "target");
    }

    /** Ours divided by the baseline (NaN without a baseline). */
    public double ratio() {
        return ours / baseline;
    }
}
