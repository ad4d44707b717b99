package org.multimagnet.experiment;

import java.util.ArrayList;
import java.util.List;
import org.multimagnet.defense.Roc;

/**
 * Each member's mark and the ensemble's decision judged as detectors on D (adversarial = positive): ROC curve and
 * AUC with its 95% interval, and the true- and false-positive rates at the calibrated thresholds with their 95%
 * Wilson intervals (a member calibrated at t_fp on V_leg should show an FPR near t_fp on D_leg).
 *
 * @param members  one row per member of S
 * @param ensemble the randomized ensemble's score: its probability over draws of rejecting the image
 */
public record DetectorMetrics(List<Member> members, Roc ensemble) {

    /**
     * One member as a detector.
     *
     * @param id        its id in S
     * @param threshold its calibrated τ
     * @param roc       ROC of its mark
     * @param tpr       fraction of D_atk with mark &gt; τ
     * @param fpr       fraction of D_leg with mark &gt; τ
     */
    public record Member(int id, double threshold, Roc roc, Roc.Proportion tpr, Roc.Proportion fpr) {
    }

    /**
     * @param ids        member ids, in the order of {@code marks}
     * @param marks      {@code [m][|D|]} marks with C_best's metric
     * @param thresholds every member's τ
     * @param rejection  each image's probability of rejection over draws
     * @param dLegCount  the leading legitimate images of D
     */
    static DetectorMetrics of(int[] ids, double[][] marks, double[] thresholds, double[] rejection, int dLegCount) {
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            double[] leg = java.util.Arrays.copyOfRange(marks[i], 0, dLegCount);
            double[] adv = java.util.Arrays.copyOfRange(marks[i], dLegCount, marks[i].length);
            out.add(new Member(ids[i], thresholds[i], Roc.of(leg, adv), Roc.Proportion.of(above(adv, thresholds[i]),
                    adv.length), Roc.Proportion.of(above(leg, thresholds[i]), leg.length)));
        }
        return new DetectorMetrics(out, Roc.of(java.util.Arrays.copyOfRange(rejection, 0, dLegCount),
                java.util.Arrays.copyOfRange(rejection, dLegCount, rejection.length)));
    }

    /** Marks voting adversarial: not ≤ τ (a NaN mark included, as the vote counts it). */
    private static long above(double[] marks, double tau) {
        long k = 0;
        for (double v : marks) {
            k += v <= tau ? 0 : 1;
        }
        return k;
    }
}
