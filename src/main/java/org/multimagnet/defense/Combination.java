package org.multimagnet.defense;

/**
 * One combination c_a = (t_fp, k, me, δ) of the file C (paper §4.1.2), with the ensemble size n.
 *
 * @param falsePositiveRate t_fp, 0 &lt; t_fp &lt; 1
 * @param temperature       k ≥ 1 for JSD; null for RE, which does not use F
 * @param metric            me
 * @param approach          δ, MTA or minTA
 * @param ensembleSize      n, odd, ≥ 1 (1 = MagNet)
 */
public record Combination(double falsePositiveRate, Double temperature, MetricName metric,
                          ThresholdApproach approach, int ensembleSize) {

    public Combination {
        Thresholds.checkTfp(falsePositiveRate);
        if (metric == null || approach == null) {
            throw new IllegalArgumentException("a combination needs a metric and a threshold approach");
        }
        if (metric.usesTemperature()) {
            if (temperature == null) {
                throw new IllegalArgumentException("a JSD combination needs a temperature");
            }
            new JensenShannonDivergence(temperature); // validates k ≥ 1
        } else {
            temperature = null;
        }
        if (ensembleSize < 1 || ensembleSize % 2 == 0) {
            throw new IllegalArgumentException("ensemble size n must be odd and >= 1, got " + ensembleSize);
        }
    }

    /** @return the metric with this combination's temperature */
    public Metric metricInstance() {
        return metric.withTemperature(temperature == null ? 1.0 : temperature);
    }

    @Override
    public String toString() {
        return metric + (temperature == null ? "" : " T=" + fmt(temperature)) + " t_fp=" + fmt(falsePositiveRate)
                + " " + approach.paperName() + " n=" + ensembleSize;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
