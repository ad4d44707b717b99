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
 * @param pairedLegitimate      the positions in V_leg of the images V_atk was made from, which form V's legitimate
 *                              half in the accuracy of §4.1.3; null when V_atk was made from all of V_leg
 */
public record CalibrationData(Observations observations, int vLegCount, int vAtkCount, double forwardPassSeconds,
                              int[] pairedLegitimate) {

    public CalibrationData {
        if (vLegCount < 1 || vAtkCount < 1) {
            throw new IllegalArgumentException("calibration needs legitimate and adversarial images, got |V_leg| = "
                    + vLegCount + ", |V_atk| = " + vAtkCount);
        }
        if (observations.imageCount() != vLegCount + vAtkCount) {
            throw new IllegalArgumentException("observations hold " + observations.imageCount() + " images, not "
                    + vLegCount + " + " + vAtkCount);
        }
        if (pairedLegitimate != null) {
            pairedLegitimate = pairedLegitimate.clone();
            for (int j : pairedLegitimate) {
                if (j < 0 || j >= vLegCount) {
                    throw new IllegalArgumentException("paired legitimate image " + j + " is outside V_leg's "
                            + vLegCount + " images");
                }
            }
        }
    }

    /** V_atk made from all of V_leg (or its pairing unknown): all of V_leg is V's legitimate half. */
    public CalibrationData(Observations observations, int vLegCount, int vAtkCount, double forwardPassSeconds) {
        this(observations, vLegCount, vAtkCount, forwardPassSeconds, null);
    }

    /**
     * Which images of V enter the accuracy of §4.1.3: all of V_atk and, of V_leg, the images V_atk was made from.
     * The paper attacks all of V_leg, so both halves weigh the same; when V_atk comes from a part of V_leg (a
     * smaller budget), counting all of V_leg would let "accept everything" win on the imbalance alone. The
     * thresholds (§4.1.1) still come from all of V_leg.
     *
     * @return {@code counted[j]} for every image j of V (V_leg first)
     */
    public boolean[] inAccuracy() {
        boolean[] counted = new boolean[vLegCount + vAtkCount];
        java.util.Arrays.fill(counted, vLegCount, counted.length, true);
        if (pairedLegitimate == null) {
            java.util.Arrays.fill(counted, 0, vLegCount, true);
        } else {
            for (int j : pairedLegitimate) {
                counted[j] = true;
            }
        }
        return counted;
    }

    /** @return how many legitimate images enter the accuracy: |V_leg|, or the distinct sources of V_atk */
    public int legitimateInAccuracy() {
        boolean[] counted = inAccuracy();
        int n = 0;
        for (int j = 0; j < vLegCount; j++) {
            n += counted[j] ? 1 : 0;
        }
        return n;
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
