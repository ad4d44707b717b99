package org.multimagnet.defense;

/**
 * The deployment stage over many images with one ensemble (the experiments' chunks, paper §5.4), kept as plain
 * arrays. Image j's reformer is drawn per image, as in §4.2.5.
 *
 * @param memberIds           ids of the ensemble's n members, in S's order
 * @param thresholds          the n thresholds used (after the approach)
 * @param marks               {@code [n][N]} marks
 * @param qLeg                {@code [N]} votes for legitimate (q_adv = n − q_leg)
 * @param verdicts            {@code [N]} majority votes
 * @param predictions         {@code [N]} F's class for x
 * @param reformerIds         {@code [N]} id of the member that reformed image j, −1 when discarded
 * @param reformedPredictions {@code [N]} F's class for the reformed image, −1 when discarded
 */
public record BatchDecision(int[] memberIds, double[] thresholds, double[][] marks, int[] qLeg, Verdict[] verdicts,
                            int[] predictions, int[] reformerIds, int[] reformedPredictions) {

    /** @return N */
    public int imageCount() {
        return verdicts.length;
    }
}
