package org.multimagnet.defense;

import java.util.List;

/**
 * What the deployment stage needs (paper §4.2): the metric, its temperature, the threshold approach, the
 * ensemble size, every member's threshold, and where the reformer comes from. Usually read from C_best.
 *
 * @param metric         me_b
 * @param temperature    k_b for JSD; null for RE
 * @param approach       δ_b
 * @param ensembleSizes  the odd sizes n is drawn from for each image, uniformly ([1] = MagNet; one size = a fixed n)
 * @param thresholds     τ_i for every member of S
 * @param reformerSource where the reformer is drawn from (the paper: the ensemble)
 */
public record DeploymentSettings(MetricName metric, Double temperature, ThresholdApproach approach,
                                 List<Integer> ensembleSizes, List<MemberThreshold> thresholds,
                                 ReformerSource reformerSource) {

    public DeploymentSettings {
        // Reuses the combination's checks (metric, k, n); t_fp plays no part in deployment.
        ensembleSizes = new Combination(0.5, temperature, metric, approach, ensembleSizes).ensembleSizes();
        if (!metric.usesTemperature()) {
            temperature = null;
        }
        if (thresholds == null || thresholds.isEmpty()) {
            throw new IllegalArgumentException("deployment needs a threshold for every member of S");
        }
        thresholds = List.copyOf(thresholds);
        if (reformerSource == null) {
            reformerSource = ReformerSource.ENSEMBLE;
        }
    }

    /** Settings with one fixed ensemble size n. */
    public DeploymentSettings(MetricName metric, Double temperature, ThresholdApproach approach, int ensembleSize,
                              List<MemberThreshold> thresholds, ReformerSource reformerSource) {
        this(metric, temperature, approach, List.of(ensembleSize), thresholds, reformerSource);
    }

    /** The settings C_best holds, with the paper's reformer (drawn from the ensemble). */
    public static DeploymentSettings from(CBest cBest) {
        Combination c = cBest.combination();
        return new DeploymentSettings(c.metric(), c.temperature(), c.approach(), c.ensembleSizes(),
                cBest.thresholds(), ReformerSource.ENSEMBLE);
    }

    /** @return the same settings with one fixed n (odd, ≥ 1; checked against m when deployed) */
    public DeploymentSettings withEnsembleSize(int n) {
        return new DeploymentSettings(metric, temperature, approach, List.of(n), thresholds, reformerSource);
    }

    /** @return the same settings with another reformer source */
    public DeploymentSettings withReformerSource(ReformerSource source) {
        return new DeploymentSettings(metric, temperature, approach, ensembleSizes, thresholds, source);
    }

    /** @return the largest n these settings may draw */
    public int largestEnsembleSize() {
        return ensembleSizes.get(ensembleSizes.size() - 1);
    }

    /** @return the metric with its temperature */
    public Metric metricInstance() {
        return metric.withTemperature(temperature == null ? 1.0 : temperature);
    }
}
