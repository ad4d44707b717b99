package org.multimagnet.defense;

/**
 * The cache the whole calibration grid is evaluated from (paper §4.1.1, §4.1.3): every member's reconstruction
 * errors and F's logits on V = V_leg ∪ V_atk, V_leg first. Made once by
 * {@link Calibration#observe}, then read once per (metric, k).
 *
 * @param observations          the forward passes over V (all of S)
 * @param vLegCount             |V_leg|: the leading images of V
 * @param vAtkCount             |V_atk|: the trailing images of V
 * @param forwardPassSeconds    wall time of the forward passes
 */
public record CalibrationData(Observations observations, int vLegCount, int vAtkCount, double forwardPassSeconds) {

    public CalibrationData {
        if (vLegCount < 1 || vAtkCount < 1) {
            throw new IllegalArgumentException("calibration needs legitimate and adversarial images, got |V_leg| = "
                    + vLegCount + ", |V_atk| = " + vAtkCount);
        }
        if (observations.imageCount() != vLegCount + vAtkCount) {
            throw new IllegalArgumentException("observations hold " + observations.imageCount() + " images, not "
                    + vLegCount + " + " + vAtkCount);
        }
    }

    /**
     * The marks of every member of S on every image of V.
     *
     * @param metric      the metric
     * @param temperature k for JSD (ignored, may be null, for RE)
     * @return {@code marks[i][j]}: member i of S, image j of V (V_leg first)
     */
    public double[][] marks(MetricName metric, Double temperature) {
        return metric.withTemperature(temperature == null ? 1.0 : temperature).marks(observations);
    }

    /** @return m = |S| */
    public int m() {
        return observations.memberCount();
    }
}
