package org.multimagnet.defense;

/**
 * The majority vote of paper §4.1.3 / §4.2.4: each member votes legitimate when its mark is ≤ its threshold;
 * the image is legitimate iff q_leg &gt; q_adv. With an odd number of members the two counts never tie.
 *
 * @param qLeg votes for legitimate, ≥ 0
 * @param qAdv votes for adversarial, ≥ 0
 */
public record Vote(int qLeg, int qAdv) {

    public Vote {
        if (qLeg < 0 || qAdv < 0 || qLeg + qAdv < 1) {
            throw new IllegalArgumentException("a vote needs at least one member and counts >= 0, got q_leg = "
                    + qLeg + ", q_adv = " + qAdv);
        }
    }

    /**
     * One member's vote.
     *
     * @param mark      the member's mark of the image
     * @param threshold the threshold the approach gives this member
     * @return legitimate iff mark ≤ threshold (a NaN mark votes adversarial)
     */
    public static Verdict memberVote(double mark, double threshold) {
        return mark <= threshold ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL;
    }

    /**
     * Counts the votes of n members.
     *
     * @param marks      n marks
     * @param thresholds n thresholds, same order
     * @return the counts
     */
    public static Vote count(double[] marks, double[] thresholds) {
        if (marks.length != thresholds.length) {
            throw new IllegalArgumentException(marks.length + " marks but " + thresholds.length + " thresholds");
        }
        int leg = 0;
        for (int i = 0; i < marks.length; i++) {
            if (memberVote(marks[i], thresholds[i]) == Verdict.LEGITIMATE) {
                leg++;
            }
        }
        return new Vote(leg, marks.length - leg);
    }

    /** @return legitimate iff q_leg &gt; q_adv (a tie, possible only with even n, counts as adversarial) */
    public Verdict verdict() {
        return qLeg > qAdv ? Verdict.LEGITIMATE : Verdict.ADVERSARIAL;
    }
}
