package org.multimagnet.defense;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/**
 * One combination c_a = (t_fp, k, me, δ) of the file C (paper §4.1.2), with the ensemble sizes n is drawn from.
 *
 * <p>The paper's file C holds no n: deployment draws the ensemble size at random (§4.2.1; n ∈ {3, 5, 7, 9} in
 * §5.4), so a combination is evaluated over ensembles whose n is drawn the same way. MagNet is the combination
 * whose only size is 1.
 *
 * @param falsePositiveRate t_fp, 0 &lt; t_fp &lt; 1
 * @param temperature       k ≥ 1 for JSD; null for RE, which does not use F
 * @param metric            me
 * @param approach          δ, MTA or minTA
 * @param ensembleSizes     the odd sizes n is drawn from, uniformly ([1] = MagNet); a single number in JSON is
 *                          read as a list of one
 */
public record Combination(double falsePositiveRate, Double temperature, MetricName metric,
                          ThresholdApproach approach,
                          @JsonAlias("ensembleSize")
                          @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                          List<Integer> ensembleSizes) {

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
        if (ensembleSizes == null || ensembleSizes.isEmpty()) {
            throw new IllegalArgumentException("a combination needs at least one ensemble size");
        }
        ensembleSizes = List.copyOf(new java.util.TreeSet<>(ensembleSizes));
        for (int n : ensembleSizes) {
            if (n < 1 || n % 2 == 0) {
                throw new IllegalArgumentException("ensemble size n must be odd and >= 1, got " + n);
            }
        }
    }

    /** A combination with one ensemble size. */
    public Combination(double falsePositiveRate, Double temperature, MetricName metric, ThresholdApproach approach,
                       int ensembleSize) {
        this(falsePositiveRate, temperature, metric, approach, List.of(ensembleSize));
    }

    /** @return the defense this combination calibrates: MagNet when its only size is 1 */
    public DefenseKind defense() {
        return DefenseKind.of(ensembleSizes);
    }

    /** @return the sizes as the paper writes them: "1" or "3,5,7,9" */
    public String sizesLabel() {
        return ensembleSizes.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    /** @return the metric with this combination's temperature */
    public Metric metricInstance() {
        return metric.withTemperature(temperature == null ? 1.0 : temperature);
    }

    @Override
    public String toString() {
        return metric + (temperature == null ? "" : " T=" + fmt(temperature)) + " t_fp=" + fmt(falsePositiveRate)
                + " " + approach.paperName() + (ensembleSizes.size() == 1 ? " n=" + sizesLabel() : " n∈{" + sizesLabel() + "}");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
