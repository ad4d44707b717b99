package org.multimagnet.defense;

import java.util.Arrays;

/**
 * The threshold rule of paper §4.1.1: a member's marks on all of V_leg sorted in descending order, the threshold
 * taken at the index t = t_fp·|V_leg|.
 *
 * <p><b>Rounding.</b> t_fp·|V_leg| is not always a whole number, so the index is round(t_fp·|V_leg|) (0-based,
 * halves rounded up, clamped to |V_leg| − 1), as the authors' code rounds it. Because a mark equal to the
 * threshold votes legitimate (§4.1.3), the marks strictly above it are rejected: exactly round(t_fp·|V_leg|)
 * images of V_leg when the marks are distinct (fewer when marks tie at the threshold). At t_fp = 0.001 and
 * |V_leg| = 1,000 one image is rejected; when t_fp·|V_leg| &lt; 0.5 the threshold is the largest mark and none is.
 * This is also what MagNet's own rule gives (threshold at the round(t_fp·N)-th largest mark, a mark strictly
 * below it passes).
 */
public final class Thresholds {
    private Thresholds() {
    }

    /**
     * The index into the descending marks for {@code tFp}.
     *
     * @param tFp   false-positive rate, 0 &lt; t_fp &lt; 1
     * @param vLeg  |V_leg|, at least 1
     * @return round(t_fp·|V_leg|), clamped to [0, |V_leg| − 1]
     */
    public static int index(double tFp, int vLeg) {
        checkTfp(tFp);
        if (vLeg < 1) {
            throw new IllegalArgumentException("|V_leg| must be >= 1, got " + vLeg);
        }
        long t = Math.round(tFp * vLeg);
        return (int) Math.max(0, Math.min(vLeg - 1, t));
    }

    /**
     * One member's threshold τ_i for {@code tFp} (paper §4.1.1).
     *
     * @param marksOnVLeg the member's marks on V_leg (not modified), none NaN
     * @param tFp         false-positive rate, 0 &lt; t_fp &lt; 1
     * @return the mark at {@link #index(double, int)} of the descending sort
     */
    public static double threshold(double[] marksOnVLeg, double tFp) {
        double[] sorted = sortedDescending(marksOnVLeg);
        return sorted[index(tFp, sorted.length)];
    }

    /**
     * Thresholds of every member for several false-positive rates, sorting each member's marks once.
     *
     * @param marks   {@code marks[i][j]}: member i, image j of V (V_leg first)
     * @param vLeg    how many leading images of each row are V_leg
     * @param tFps    false-positive rates
     * @return {@code thresholds[f][i]}: rate f, member i
     */
    public static double[][] thresholds(double[][] marks, int vLeg, double[] tFps) {
        double[][] out = new double[tFps.length][marks.length];
        for (int i = 0; i < marks.length; i++) {
            if (marks[i].length < vLeg) {
                throw new IllegalArgumentException("member row " + i + " has " + marks[i].length
                        + " marks, fewer than |V_leg| = " + vLeg);
            }
            double[] sorted = sortedDescending(Arrays.copyOf(marks[i], vLeg));
            for (int f = 0; f < tFps.length; f++) {
                out[f][i] = sorted[index(tFps[f], vLeg)];
            }
        }
        return out;
    }

    private static double[] sortedDescending(double[] marks) {
        if (marks.length == 0) {
            throw new IllegalArgumentException("no marks on V_leg to take a threshold from");
        }
        double[] sorted = marks.clone();
        for (double v : sorted) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("a mark on V_leg is NaN");
            }
        }
        Arrays.sort(sorted);
        for (int lo = 0, hi = sorted.length - 1; lo < hi; lo++, hi--) {
            double tmp = sorted[lo];
            sorted[lo] = sorted[hi];
            sorted[hi] = tmp;
        }
        return sorted;
    }

    static void checkTfp(double tFp) {
        if (!(tFp > 0.0 && tFp < 1.0)) {
            throw new IllegalArgumentException("false-positive rate must satisfy 0 < t_fp < 1 (paper §4.1.1), got "
                    + tFp);
        }
    }
}
